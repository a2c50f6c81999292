package e2e

import (
	"os"
	"strings"
	"testing"
)

// TestEndOfDayCommands drives kiosk eod on the built binary, step by step:
// the X-report changes nothing; a close asks for the count, shows what is
// over or short, and closes only on yes; under a blind count the sums
// stay hidden until the count; the Z-report reads in Arabic on request.
func TestEndOfDayCommands(t *testing.T) {
	k := newCLIKiosk(t)
	blind := newCLIKiosk(t)
	f, err := os.OpenFile(blind.config, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString("[eod]\nblind_count = true\n"); err != nil {
		t.Fatal(err)
	}
	f.Close()
	for _, kk := range []*cliKiosk{k, blind} {
		kk.must(t, "", "sell", "--provider", "bitaqaty", "--product", "2862", "--yes") // 51.00 SAR
	}
	steps := []struct {
		name    string
		kiosk   *cliKiosk
		stdin   string
		args    []string
		code    int
		want    []string
		notWant []string
	}{
		{"X-report", k, "", []string{"eod", "--x"}, 0,
			[]string{"X-REPORT - NOT A CLOSING", "Bitaqaty Business SAR", "1 sale", "51.00 SAR"}, []string{"Z-REPORT"}},
		{"X-report with a date", k, "", []string{"eod", "--x", "--date", "2026-11-24"}, 2, []string{"leave out --date"}, nil},
		{"close, not confirmed", k, "50\nn\n", []string{"eod", "--close"}, 5,
			[]string{"Cash counted in SAR: ", "SAR: short 1.00 (expected 51.00, counted 50.00)", "Close the day? [y/N]",
				"day not closed: not confirmed"}, []string{"Z-REPORT"}},
		{"close, no count", k, "\n", []string{"eod", "--close"}, 1, []string{"no count for SAR"}, []string{"Z-REPORT"}},
		{"close, a count that is not an amount", k, "fifty\n", []string{"eod", "--close"}, 1, []string{"the count for SAR"}, nil},
		{"close, confirmed", k, "50\ny\n", []string{"eod", "--close"}, 0,
			[]string{"SAR: short 1.00", "Z-REPORT 1", "SHORT", "1.00"}, nil},
		{"a language it does not have", k, "", []string{"eod", "--lang", "fr"}, 2, []string{"--lang"}, nil},
		{"blind report", blind, "", []string{"eod"}, 0,
			[]string{"BLIND COUNT", "hidden until counted", "1 sale"}, []string{"51.00"}},
		{"blind X-report", blind, "", []string{"eod", "--x", "--lang", "ar"}, 0,
			[]string{"تقرير X", "جرد أعمى", "مخفي حتى العد"}, []string{"51.00"}},
		{"blind close", blind, "51\n", []string{"eod", "--close", "--yes"}, 0,
			[]string{"SAR: exact (expected 51.00, counted 51.00)", "Z-REPORT 1", "EXACT"}, []string{"[y/N]", "BLIND COUNT"}},
	}
	var zText string
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			before := s.kiosk.audit(t)
			out, code := s.kiosk.run(t, s.stdin, s.args...)
			if s.kiosk == k && code == 0 && contains(s.args, "--close") {
				zText = out
			}
			if code != s.code {
				t.Fatalf("exit %d, want %d:\n%s", code, s.code, out)
			}
			for _, w := range s.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			for _, w := range s.notWant {
				if strings.Contains(out, w) {
					t.Errorf("output has %q:\n%s", w, out)
				}
			}
			closed := strings.Contains(s.kiosk.audit(t), "|closed day|")
			if wasClosed := strings.Contains(before, "|closed day|"); closed != (wasClosed || (s.code == 0 && contains(s.args, "--close"))) {
				t.Errorf("closed day in the audit: %v", closed)
			}
			if contains(s.args, "--x") && s.kiosk.audit(t) != before {
				t.Errorf("the X-report wrote to the audit record")
			}
		})
	}

	// The closed day, read back in Arabic.
	_, rest, _ := strings.Cut(zText, "Day ")
	day, _, _ := strings.Cut(rest, "\n")
	ar := k.must(t, "", "eod", "--lang", "ar", "--date", strings.TrimSpace(day))
	for _, w := range []string{"تقرير Z رقم 1", "اليوم " + strings.TrimSpace(day), "عجز", "Bitaqaty Business"} {
		if !strings.Contains(ar, w) {
			t.Errorf("the Arabic Z-report lacks %q:\n%s", w, ar)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
