package receipt

// ESC/POS encoding for thermal receipt printers (Epson TM and the many
// printers that copy its command set).
//
// Text is sent as UTF-8. Code pages are printer-specific: many printers
// expect a single-byte code page chosen with ESC t, and only some accept
// UTF-8 (or print Arabic shaped); a shop whose printer prints garbage for
// Arabic names needs that printer's code page, which this package does not
// guess.

const (
	esc = 0x1b
	gs  = 0x1d
	dle = 0x10
	eot = 0x04

	paperEndBits = 0x60 // bits 5,6 of the DLE EOT 4 answer: roll paper end
	statusMask   = 0x93 // bits fixed in every status byte …
	statusFixed  = 0x12 // … to these values; anything else is not an answer
	maxQRData    = 2331 // the most bytes a QR code of level M holds (version 40)
)

var (
	cmdInit      = []byte{esc, '@'}                             // ESC @: reset modes left by a previous job
	cmdBoldOn    = []byte{esc, 'E', 1}                          // ESC E 1
	cmdBoldOff   = []byte{esc, 'E', 0}                          // ESC E 0
	cmdAlignMid  = []byte{esc, 'a', 1}                          // ESC a 1: centre the QR code
	cmdAlignLeft = []byte{esc, 'a', 0}                          // ESC a 0
	cmdFeed      = []byte{esc, 'd', 4}                          // ESC d 4: feed the last line past the cutter
	cmdCut       = []byte{gs, 'V', 1}                           // GS V 1: partial cut, the stub stays on the roll
	cmdStatus    = []byte{dle, eot, 4}                          // DLE EOT 4: real-time roll paper sensor status
	qrModel      = []byte{gs, '(', 'k', 4, 0, '1', 'A', '2', 0} // fn 165: model 2
	qrErrLevelM  = []byte{gs, '(', 'k', 3, 0, '1', 'E', '1'}    // fn 169: level M, as on screen
	qrPrint      = []byte{gs, '(', 'k', 3, 0, '1', 'Q', '0'}    // fn 181: print the stored symbol
)

// escpos encodes a receipt for an ESC/POS printer. QR codes are printed with
// the printer's own QR command (GS ( k), which is sharper than text blocks
// and not limited by the number of columns.
func escpos(r *Receipt) []byte {
	b := append([]byte(nil), cmdInit...)
	for _, l := range r.lines {
		switch {
		case l.qr != "" && len(l.qr) <= maxQRData:
			b = append(b, cmdAlignMid...)
			b = appendQR(b, l.qr, r.Paper)
			b = append(b, '\n')
			b = append(b, cmdAlignLeft...)
		case l.qr != "":
			continue // cannot be a QR code at all; the link is printed as text above
		case l.bold:
			b = append(b, cmdBoldOn...)
			b = append(b, l.text...)
			b = append(b, cmdBoldOff...)
			b = append(b, '\n')
		default:
			b = append(b, l.text...)
			b = append(b, '\n')
		}
	}
	b = append(b, cmdFeed...)
	return append(b, cmdCut...)
}

// appendQR adds the GS ( k sequence: model, module size, error level, store
// the data, print it.
func appendQR(b []byte, data string, p Paper) []byte {
	size := byte(qrModule(p))
	n := len(data) + 3
	b = append(b, qrModel...)
	b = append(b, gs, '(', 'k', 3, 0, '1', 'C', size) // fn 167: module size
	b = append(b, qrErrLevelM...)
	b = append(b, gs, '(', 'k', byte(n), byte(n>>8), '1', 'P', '0') // fn 180: store
	b = append(b, data...)
	return append(b, qrPrint...)
}

// qrModule is a QR code's module size in dots: at 5, a 60-module code (a
// long eSIM activation code) is 300 dots, inside a 58 mm roll's 384; 80 mm
// has 576 dots.
func qrModule(p Paper) int {
	if p == Paper80 {
		return 6
	}
	return 5
}

// paperOut reads a DLE EOT 4 answer: true when the roll paper end sensor
// is set. A byte that is not a status byte says nothing.
func paperOut(status byte) bool {
	return status&statusMask == statusFixed && status&paperEndBits != 0
}
