package receipt

import "image"

// bandRows is the height of one GS v 0 image. A printer takes in a whole
// command before it prints it, and cheap ones have small buffers, so a
// receipt goes as bands printed one under the other without a gap.
const bandRows = 128

// encode is the ESC/POS job for a receipt: text, or an image when the
// receipt's encoding says so (see Encoding).
func encode(r *Receipt) ([]byte, error) {
	if !r.raster() {
		return escpos(r), nil
	}
	img, err := r.Raster()
	if err != nil {
		return nil, err
	}
	return rasterJob(img), nil
}

// rasterJob prints img (black where a dot is below half grey) with GS v 0,
// the raster bit image command, in bands: GS v 0 m xL xH yL yH, then the
// rows, each xL+256·xH bytes, eight dots a byte, the leftmost dot in the
// high bit, 1 for black. Then the feed and cut of a text receipt.
func rasterJob(img *image.Gray) []byte {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	bw := (w + 7) / 8
	out := make([]byte, 0, len(cmdInit)+(h/bandRows+1)*8+bw*h+len(cmdFeed)+len(cmdCut))
	out = append(out, cmdInit...)
	for top := 0; top < h; top += bandRows {
		n := min(bandRows, h-top)
		out = append(out, gs, 'v', '0', 0, byte(bw), byte(bw>>8), byte(n), byte(n>>8))
		for y := top; y < top+n; y++ {
			for x0 := 0; x0 < w; x0 += 8 {
				var bits byte
				for i := range min(8, w-x0) {
					if img.GrayAt(b.Min.X+x0+i, b.Min.Y+y).Y < 0x80 {
						bits |= 0x80 >> i
					}
				}
				out = append(out, bits)
			}
		}
	}
	out = append(out, cmdFeed...)
	return append(out, cmdCut...)
}
