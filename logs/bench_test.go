package logs

import (
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkSaleStepLine: one sale-step line with a clerk's note through
// the redacting handler into a rotating file (5 MiB × 5), as a sale writes
// it. A purchase takes hundreds of milliseconds; a line should cost
// microseconds.
func BenchmarkSaleStepLine(b *testing.B) {
	l, err := Open(filepath.Join(b.TempDir(), FileName), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	b.ReportAllocs()
	for b.Loop() {
		l.Info("sale step", Step("purchase"), Ref("0014950500000001"), Provider("bitaqaty"), Product("2862"),
			State("failed"), Took(312*time.Millisecond), Customer("771234567"), Clerk("amal"),
			Note("bitaqaty: this product is out of stock at Bitaqaty (OUT_OF_STOCK)"))
	}
}
