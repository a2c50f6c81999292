package dtone

import (
	"strings"
	"sync"
	"testing"

	"github.com/BurntSushi/toml"

	"kiosk/providers"
)

// The section suggested for config.example.toml decodes into Config.
func TestConfigFromTOML(t *testing.T) {
	t.Setenv("DTONE_API_KEY", "key-from-env")
	t.Setenv("DTONE_API_SECRET", "secret-from-env")
	const section = `
base_url   = "https://gs-api.dtone.com/v1.1"
api_key    = "env:DTONE_API_KEY"
api_secret = "env:DTONE_API_SECRET"
simulation = true
countries  = ["GT", "IN"]
operators  = [1959, 2184]
`
	var cfg Config
	md, err := toml.Decode(section, &cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(md.Undecoded()) != 0 {
		t.Fatalf("undecoded keys %v", md.Undecoded())
	}
	if cfg.APIKey.Reveal() != "key-from-env" || cfg.APISecret.Reveal() != "secret-from-env" || !cfg.Simulation ||
		strings.Join(cfg.Countries, ",") != "GT,IN" || len(cfg.Operators) != 2 || cfg.Operators[1] != 2184 {
		t.Fatalf("cfg = %+v", cfg)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
}

// Many kiosks' sales at once: each is committed once and found again.
func TestConcurrentPurchases(t *testing.T) {
	sb, c := setup(t)
	p := findProduct(t, c, "fvr-1601")
	q, err := c.Quote(ctx(t), quoteReq(p, "8801712345678", ""))
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	refs := make([]string, 16)
	errs := make([]error, len(refs))
	for i := range refs {
		refs[i] = newRef()
		wg.Go(func() {
			_, errs[i] = c.Purchase(ctx(t), providers.PurchaseRequest{Ref: refs[i], Quote: q})
		})
	}
	wg.Wait()
	for i, ref := range refs {
		if errs[i] != nil || sb.Charged(ref) != 1 {
			t.Errorf("sale %s: charged %d, err %v", ref, sb.Charged(ref), errs[i])
		}
	}
}
