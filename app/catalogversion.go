package app

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"

	"github.com/BurntSushi/toml"

	"kiosk/config"
)

// catalogVersions are the versions of each provider's configuration that
// its cached catalogue is checked against (sale.Options.CatalogVersions):
// a hash of its [providers.ID] section as written, so that a change to it
// — a MOR card group or an Indian operator dropped, a provider moved to
// its sandbox — makes the cached catalogue stale at once instead of when
// it expires. Keys that hold secrets (passwords, keys, tokens) are left
// out of the hash: changing one changes no product, and the journal keeps
// no trace of them. A provider without a section (the built-in sandboxes)
// hashes its empty section.
func catalogVersions(cfg *config.Config, ids []string) map[string]string {
	var doc struct {
		Providers map[string]map[string]any `toml:"providers"`
	}
	// The file was read and checked already; one that does not decode
	// here gives every provider the empty section's version.
	_, _ = toml.Decode(cfg.Text(), &doc)
	out := make(map[string]string, len(ids))
	for _, id := range ids {
		out[id] = sectionVersion(doc.Providers[id])
	}
	return out
}

// sectionVersion hashes a section's keys and values but its secrets. JSON
// writes a map's keys in order, so the hash does not depend on the order
// the file lists them in.
func sectionVersion(section map[string]any) string {
	kept := make(map[string]any, len(section))
	for k, v := range section {
		if !secretKey(k) {
			kept[k] = v
		}
	}
	b, err := json.Marshal(kept)
	if err != nil {
		return ""
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}

func secretKey(k string) bool {
	k = strings.ToLower(k)
	for _, s := range []string{"password", "secret", "key", "token"} {
		if strings.Contains(k, s) {
			return true
		}
	}
	return false
}
