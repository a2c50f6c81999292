package mor

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// card is one sold card as MOR answers it.
type card struct {
	PIN      string
	Number   string
	Balance  string // balance_without_vat, as sent
	Currency string
}

// answer is a parsed card_from_group_sell answer: either cards or an error.
type answer struct {
	Cards []card
	Error string // the text of <error>, e.g. "Free cards was not found"
}

// parseAnswer reads MOR's XML. It is strict about the shape: the document
// must be complete and rooted at <page> (seed L54) or be a bare <error>
// (seed L76-80, as the seed shows it), and must hold either an error or at
// least one card with a PIN (seed L55-68). An <error> inside <page> is
// read too: the same documented text in the success answer's root. Anything else — HTML, a
// cut-off body, an empty page — is an error, because after a sale request
// such an answer says nothing about whether cards were sold.
func parseAnswer(body []byte) (answer, error) {
	var (
		a              answer
		stack          []string
		cur            = -1 // index of the open <card>
		text           strings.Builder
		rooted, gotErr bool
	)
	d := xml.NewDecoder(bytes.NewReader(body))
	d.CharsetReader = utf8Only
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return answer{}, fmt.Errorf("mor answer: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := strings.ToLower(t.Name.Local)
			if len(stack) == 0 {
				if rooted {
					return answer{}, errors.New("mor answer: more than one root element")
				}
				if name != "page" && name != "error" {
					return answer{}, fmt.Errorf("mor answer: root element <%s> is not <page>", t.Name.Local)
				}
				rooted = true
			}
			stack = append(stack, name)
			text.Reset()
			if name == "card" {
				a.Cards = append(a.Cards, card{})
				cur = len(a.Cards) - 1
			}
		case xml.CharData:
			text.Write(t)
		case xml.EndElement:
			name := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			v := strings.TrimSpace(text.String())
			text.Reset()
			switch {
			case name == "error":
				a.Error, gotErr = v, true
			case name == "card":
				cur = -1
			case cur >= 0:
				a.Cards[cur].set(name, v)
			}
		}
	}
	switch {
	case !rooted:
		return answer{}, errors.New("mor answer: empty")
	case gotErr && a.Error == "":
		return answer{}, errors.New("mor answer: empty <error>")
	case gotErr && len(a.Cards) > 0:
		return answer{}, errors.New("mor answer: both cards and an error")
	case gotErr:
		return a, nil
	case len(a.Cards) == 0:
		return answer{}, errors.New("mor answer: no cards and no error")
	}
	for i, c := range a.Cards {
		if c.PIN == "" {
			return answer{}, fmt.Errorf("mor answer: card %d has no PIN", i+1)
		}
	}
	return a, nil
}

func (c *card) set(name, v string) {
	switch name {
	case "pin":
		c.PIN = v
	case "number":
		c.Number = v
	case "balance_without_vat":
		c.Balance = v
	case "currency":
		c.Currency = v
	}
}

// utf8Only lets the decoder accept the UTF-8 declaration MOR sends and
// refuse any other charset rather than misread a PIN.
func utf8Only(label string, r io.Reader) (io.Reader, error) {
	switch strings.ToLower(label) {
	case "utf-8", "utf8", "us-ascii":
		return r, nil
	}
	return nil, fmt.Errorf("unsupported charset %q", label)
}
