package receipt

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"kiosk/i18n"
	"kiosk/providers"
	"kiosk/receipt/typeset"
	"kiosk/sale"
)

var update = flag.Bool("update", false, "rewrite the raster golden PNGs in testdata")

// arabicSale is an Al-Qimah-style sale on an Arabic receipt: Arabic names
// with Latin brands and numbers in them, a customer number, VAT, a PIN and
// an Arabic how-to-use text with lam-alef ligatures.
func arabicSale() *sale.Sale {
	s := voucherSale(providers.Voucher{Serial: "101000000001", PIN: "XK4M-7P2Q-9R3T-5V8W", Expiry: "2027-05-01"})
	p := &s.Quote.Product
	p.Name = "iTunes 10"
	p.NameAr = "بطاقة ايتونز امريكي 10 دولار"
	p.Brand, p.BrandAr = "iTunes", "آيتونز"
	p.HowToUseAr = "افتح متجر App Store واضغط على صورتك، ثم اختر استرداد بطاقة هدية وأدخل الرمز المطبوع أعلاه. لا تشارك الرمز مع أحد."
	p.Fields = []providers.Field{{Name: "mobile", Kind: providers.FieldPhone}}
	s.Product = *p
	s.Quote.Fields = map[string]string{"mobile": "+967771234567"}
	s.Clerk = "هدى"
	return s
}

func arabicInfo(p Paper) Info {
	in := info(p)
	in.Shop = "النور للاتصالات Al Noor"
	in.Lang = i18n.AR
	return in
}

// decodeJob reads an ESC/POS raster job back into the image it prints. It
// accepts only what rasterJob writes — ESC @, GS v 0 bands of one width,
// the feed, the cut — so a job with text or any other command in it fails.
func decodeJob(t *testing.T, data []byte) *image.Gray {
	t.Helper()
	rest, ok := bytes.CutPrefix(data, cmdInit)
	if !ok {
		t.Fatalf("job does not start with ESC @: % x", data[:min(len(data), 8)])
	}
	rest, ok = bytes.CutSuffix(rest, append(append([]byte(nil), cmdFeed...), cmdCut...))
	if !ok {
		t.Fatalf("job does not end with feed and cut: % x", data[max(0, len(data)-8):])
	}
	width := -1
	var rows [][]byte
	for len(rest) > 0 {
		if len(rest) < 8 || !bytes.Equal(rest[:4], []byte{gs, 'v', '0', 0}) {
			t.Fatalf("after %d rows: not a GS v 0 command: % x", len(rows), rest[:min(len(rest), 8)])
		}
		bw, h := int(rest[4])|int(rest[5])<<8, int(rest[6])|int(rest[7])<<8
		if width >= 0 && bw != width {
			t.Fatalf("band of %d bytes a row after bands of %d", bw, width)
		}
		if h == 0 || h > bandRows {
			t.Fatalf("band of %d rows (want 1…%d)", h, bandRows)
		}
		width, rest = bw, rest[8:]
		if len(rest) < bw*h {
			t.Fatalf("band of %d×%d bytes cut short at %d", bw, h, len(rest))
		}
		for range h {
			rows, rest = append(rows, rest[:bw]), rest[bw:]
		}
	}
	img := image.NewGray(image.Rect(0, 0, width*8, len(rows)))
	for y, r := range rows {
		for x := range width * 8 {
			if r[x/8]&(0x80>>(x%8)) == 0 {
				img.Pix[img.PixOffset(x, y)] = 0xff
			}
		}
	}
	return img
}

// esimSale is an eSIM sold on an Arabic receipt: its QR code is drawn
// into the image.
func esimSale() *sale.Sale {
	s := arabicSale()
	s.Vouchers = []providers.Voucher{qrVoucher()}
	s.Quote.Product.HowToUseAr = "امسح رمز QR من الإعدادات ثم الشبكة الخلوية ثم إضافة شريحة eSIM."
	return s
}

func TestRasterGolden(t *testing.T) {
	tests := []struct {
		name  string
		sale  func() *sale.Sale
		paper Paper
	}{
		{"arabic-58mm", arabicSale, Paper58},
		{"arabic-80mm", arabicSale, Paper80},
		{"esim-58mm", esimSale, Paper58},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Build(tt.sale(), arabicInfo(tt.paper))
			if err != nil {
				t.Fatal(err)
			}
			data, err := encode(r)
			if err != nil {
				t.Fatal(err)
			}
			got := decodeJob(t, data)
			want, err := r.Raster()
			if err != nil {
				t.Fatal(err)
			}
			if d := diff(got, want); d != "" {
				t.Fatalf("the job does not print the receipt's image: %s", d)
			}
			golden := filepath.Join("testdata", "raster-"+tt.name+".png")
			if *update {
				writePNG(t, golden, got)
			}
			if d := diff(got, readPNG(t, golden)); d != "" {
				t.Errorf("%s (run go test ./receipt -run Raster -update and look at the new picture): %s", golden, d)
			}
		})
	}
}

// diff says how two black-and-white images differ; "" when they do not.
func diff(got, want image.Image) string {
	if got.Bounds() != want.Bounds() {
		return fmt.Sprintf("size %v, want %v", got.Bounds().Size(), want.Bounds().Size())
	}
	n, first := 0, image.Point{}
	b := got.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if dark(got.At(x, y)) != dark(want.At(x, y)) {
				if n == 0 {
					first = image.Pt(x, y)
				}
				n++
			}
		}
	}
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("%d dots differ, the first at %v", n, first)
}

func dark(c interface{ RGBA() (r, g, b, a uint32) }) bool {
	r, g, b, _ := c.RGBA()
	return r+g+b < 3*0x8000
}

func readPNG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return img
}

func writePNG(t *testing.T, path string, img image.Image) {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestRasterToNetworkPrinter prints an Arabic receipt to a loopback
// listener acting as a port 9100 printer: what arrives is the image and
// nothing else, with no Arabic text in it.
func TestRasterToNetworkPrinter(t *testing.T) {
	addr, got := fakePrinter(t, 0x12)
	r, err := Build(arabicSale(), arabicInfo(Paper80))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := NetworkPrinter(addr).Print(ctx, r); err != nil {
		t.Fatal(err)
	}
	data := <-got
	if !bytes.Contains(data, []byte{gs, 'v', '0', 0, 576 / 8, 0}) {
		t.Fatal("no GS v 0 image 576 dots wide in the job")
	}
	for _, s := range []string{"بطاقة", "الإجمالي", "هدى", "ا", "XK4M-7P2Q-9R3T-5V8W"} {
		if bytes.Contains(data, []byte(s)) {
			t.Errorf("the job holds %q as text", s)
		}
	}
	img := decodeJob(t, data) // fails on any text or other command
	want, _ := r.Raster()
	if d := diff(img, want); d != "" {
		t.Errorf("the printer got another image: %s", d)
	}
}

func TestRasterWidthPerPaper(t *testing.T) {
	tests := []struct {
		paper      Paper
		dots, cell int
	}{
		{Paper58, 384, 12},
		{Paper80, 576, 12},
	}
	for _, tt := range tests {
		t.Run(tt.paper.String(), func(t *testing.T) {
			if got := tt.paper.Dots(); got != tt.dots {
				t.Errorf("Dots() = %d, want %d", got, tt.dots)
			}
			if got := tt.paper.Dots() / tt.paper.Columns(); got != tt.cell {
				t.Errorf("a character cell is %d dots, want %d (the printer's 12×24 font)", got, tt.cell)
			}
			for name, in := range map[string]Info{"arabic": arabicInfo(tt.paper), "english": info(tt.paper)} {
				in.Encoding = EncodeRaster
				s := arabicSale()
				if name == "english" {
					s = voucherSale()
				}
				r, err := Build(s, in)
				if err != nil {
					t.Fatal(err)
				}
				data, err := encode(r)
				if err != nil {
					t.Fatal(err)
				}
				img := decodeJob(t, data)
				if w := img.Bounds().Dx(); w != tt.dots {
					t.Errorf("%s: image %d dots wide, want %d", name, w, tt.dots)
				}
				if inkAt(img, 0, 8) == 0 || inkAt(img, tt.dots-8, tt.dots) == 0 {
					t.Errorf("%s: nothing printed at one edge of the paper: the lines do not span it", name)
				}
			}
		})
	}
	if got := Paper(57).Dots(); got != 0 {
		t.Errorf("57 mm has %d dots, want 0", got)
	}
	r := FromText("بطاقة", 57)
	if _, err := r.Raster(); err == nil || !strings.Contains(err.Error(), "57") {
		t.Errorf("raster of an unknown paper: %v", err)
	}
}

// inkAt counts the black dots in the columns [x0, x1).
func inkAt(img *image.Gray, x0, x1 int) int {
	n := 0
	for y := range img.Bounds().Dy() {
		for x := x0; x < x1; x++ {
			if img.GrayAt(x, y).Y == 0 {
				n++
			}
		}
	}
	return n
}

func TestEncodingChoice(t *testing.T) {
	accented := voucherSale()
	accented.Quote.Product.Name = "Crédit Orange Côte d'Ivoire"
	tests := []struct {
		name   string
		sale   *sale.Sale
		lang   i18n.Lang
		enc    Encoding
		raster bool
	}{
		{"latin, auto", voucherSale(), i18n.EN, EncodeAuto, false},
		{"latin-1 accents, auto", accented, i18n.EN, EncodeAuto, false},
		{"arabic names, auto", arabicSale(), i18n.EN, EncodeAuto, true},
		{"arabic labels, auto", voucherSale(), i18n.AR, EncodeAuto, true},
		{"latin, raster asked", voucherSale(), i18n.EN, EncodeRaster, true},
		{"arabic, text asked", arabicSale(), i18n.AR, EncodeText, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := info(Paper58)
			in.Lang, in.Encoding = tt.lang, tt.enc
			r, err := Build(tt.sale, in)
			if err != nil {
				t.Fatal(err)
			}
			data, err := encode(r)
			if err != nil {
				t.Fatal(err)
			}
			image := bytes.Contains(data, []byte{gs, 'v', '0'})
			if image != tt.raster {
				t.Errorf("raster image sent: %v, want %v", image, tt.raster)
			}
			if !tt.raster && !bytes.Equal(data, escpos(r)) {
				t.Error("a text receipt is not today's text encoding")
			}
			if tt.raster {
				decodeJob(t, data)
			}
		})
	}
}

func TestParseEncoding(t *testing.T) {
	for in, want := range map[string]Encoding{"": EncodeAuto, "auto": EncodeAuto, " Text ": EncodeText, "RASTER": EncodeRaster} {
		if got, err := ParseEncoding(in); err != nil || got != want {
			t.Errorf("ParseEncoding(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"utf8", "cp864", "image"} {
		if _, err := ParseEncoding(in); err == nil || !strings.Contains(err.Error(), in) || !strings.Contains(err.Error(), "want auto, text or raster") {
			t.Errorf("ParseEncoding(%q): %v", in, err)
		}
	}
}

func TestFields(t *testing.T) {
	tests := []struct {
		text string
		want []field
	}{
		{"", nil},
		{"TOTAL          46.00 SAR", []field{{"TOTAL", 0, false}, {"46.00 SAR", 15, true}}},
		{"  XK4M-7P2Q", []field{{"XK4M-7P2Q", 2, false}}},
		{"Open the App Store, tap", []field{{"Open the App Store, tap", 0, false}}},
		{"مبيعات   12   120.00 SAR", []field{{"مبيعات", 0, false}, {"12", 9, false}, {"120.00 SAR", 14, true}}},
	}
	for _, tt := range tests {
		got := fields(tt.text, 24)
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("fields(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

// TestColumns: the pieces of a laid-out line (a report printed with
// FromText, as the end of day is) keep their columns; a right-to-left line
// is mirrored, its label at the right edge and its number, which ended at
// the last column, at the left edge.
func TestColumns(t *testing.T) {
	ts, err := setter(12)
	if err != nil {
		t.Fatal(err)
	}
	d := drawing{ts: ts, dots: 384, cell: 12, width: 32, paper: Paper58}
	const (
		start = -1 // the piece starts at the line's left edge
		end   = -2 // it ends at its right edge
	)
	tests := []struct {
		text string
		want []int // per piece: its x, or start, or end
		fits bool
	}{
		{fmt.Sprintf("%-12s%-12s%8s", "Sales", "12", "120.00"), []int{start, 12 * 12, end}, true},
		{"  XK4M-7P2Q-9R3T-5V8W", []int{2 * 12}, true},
		{fmt.Sprintf("%-26s%6s", "مبيعات", "120.00"), []int{end, start}, true},
		{"  بطاقة", []int{384 - 2*12}, true}, // indented from the right: x is its right end
		{fmt.Sprintf("%-20s%12s", "مبيعات", "120.00"), []int{end, start}, true},
	}
	// Pieces that would overlap (here a bold label made longer than its
	// column) are not placed side by side.
	over := []field{{text: strings.Repeat("W", 27), col: 0}, {text: "120.00", col: 26, end: true}}
	if _, ok := d.columns(over, true, false); ok {
		t.Error("overlapping pieces placed side by side")
	}
	for _, tt := range tests {
		fs := fields(tt.text, 32)
		rtl := typeset.DirectionOf(tt.text) == typeset.RTL
		ps, ok := d.columns(fs, false, rtl)
		if ok != tt.fits {
			t.Errorf("%q: fits side by side %v, want %v", tt.text, ok, tt.fits)
			continue
		}
		for i, want := range tt.want {
			p := ps[i]
			switch {
			case want == start && p.x != 0,
				want == end && p.x+p.line.Width != 384,
				want >= 0 && !rtl && p.x != want,
				want >= 0 && rtl && p.x+p.line.Width != want:
				t.Errorf("%q piece %d %q at x=%d (width %d), want %d", tt.text, i, fs[i].text, p.x, p.line.Width, want)
			}
		}
	}
}

func BenchmarkRaster(b *testing.B) {
	for _, p := range []Paper{Paper58, Paper80} {
		b.Run(p.String(), func(b *testing.B) {
			r, err := Build(arabicSale(), arabicInfo(p))
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := encode(r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
