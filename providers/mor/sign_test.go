package mor

import "testing"

func TestHashSeedExample(t *testing.T) {
	// The seed: id = 6, quantity = 2, API Secret Key = 456789.
	const want = "37086d860581fabc278413cd1a417d5c079f6eba"
	if got := Hash("456789", "", "6", "2"); got != want {
		t.Fatalf("Hash = %s, want %s", got, want)
	}
}

func TestHashOrder(t *testing.T) {
	// email comes first; absent values contribute nothing.
	a := Hash("k", "a@b.c", "6", "1")
	if a != Hash("k", "", "a@b.c6", "1") {
		t.Fatal("hash is not the plain concatenation email+id+quantity+key")
	}
	if a == Hash("k", "", "6", "1") {
		t.Fatal("email is not hashed")
	}
}

func TestSellFormSignsWhatItSends(t *testing.T) {
	cfg := simConfig("http://127.0.0.1:1")
	cfg.Email = "shop@example.com"
	c, err := New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	f := c.sellForm("6", 2)
	if f.Get("u") != "kiosk" || f.Get("id") != "6" || f.Get("quantity") != "2" || f.Get("email") != cfg.Email {
		t.Fatalf("form = %v", f)
	}
	if f.Get("hash") != Hash("456789", "shop@example.com", "6", "2") {
		t.Fatalf("hash = %s", f.Get("hash"))
	}
	if f.Has("number") || f.Has("curr") {
		t.Fatalf("unexpected parameters: %v", f)
	}
}
