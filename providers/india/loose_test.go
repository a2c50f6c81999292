package india

import (
	"encoding/json"
	"strings"
	"testing"
)

// The seed's answers, verbatim.
const (
	seedQueued = `{
"error":0,
"msg":order in queue,
"status":2,
"orderid":"da9842e1-f561-4728-827b-ac4dd2934d68",
"optransid":"",
"partnerreqid":"5165483",
"commission":0,
"user_var1":"",
"user_var2":"",
"user_var3":""
}`
	seedDuplicate = `{
"error":1,
"msg":"Duplicate order, Order ID must be unique",
}`
	// The status-check page's sample: bare msg and a trailing comma.
	seedStatus = `{
"error":0,
"msg":success,
"status":1,
"orderid":"415e217b-8fb2-4c6e-a003-09e445079f12",
"optransid":"",
"commission":4.99,
}`
	// The older API, as public client code quotes it.
	legacyAnswer = `{"ERROR":0,"STATUS":1,"ORDERID":51645247,"OPTRANSID":"ONR2101231816190530","PARTNERREQID":"634","MESSAGE":"Success","USERVAR1":"rte-554","USERVAR2":"","USERVAR3":"","COMMISSION":"0.3500"}`
)

func TestParseLoose(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want map[string]string
	}{
		{"seed queued", seedQueued, map[string]string{"error": "0", "msg": "order in queue", "status": "2", "partnerreqid": "5165483", "commission": "0", "user_var3": ""}},
		{"seed duplicate", seedDuplicate, map[string]string{"error": "1", "msg": "Duplicate order, Order ID must be unique"}},
		{"seed status", seedStatus, map[string]string{"msg": "success", "commission": "4.99", "orderid": "415e217b-8fb2-4c6e-a003-09e445079f12"}},
		{"legacy upper case", legacyAnswer, map[string]string{"error": "0", "orderid": "51645247", "message": "Success", "commission": "0.3500"}},
		{"bare text with comma", `{"error":1,"msg":Duplicate order, Order ID must be unique,}`, map[string]string{"msg": "Duplicate order, Order ID must be unique"}},
		{"bare last", `{"error":0,"msg":all good}`, map[string]string{"msg": "all good"}},
		{"bare number then newline", "{\"error\":0,\n\"commission\":0\n}", map[string]string{"commission": "0"}},
		{"unquoted keys", `{error:0, msg:"ok"}`, map[string]string{"error": "0", "msg": "ok"}},
		{"null", `{"error":null,"msg":"x"}`, map[string]string{"error": ""}},
		{"nested", `{"error":0,"data":{"token":"abc","x":[1,{"y":"]"}]}}`, map[string]string{"data.token": "abc", "data.x": `[1,{"y":"]"}]`}},
		{"escapes", `{"msg":"a\"b\u00e9\/"}`, map[string]string{"msg": `a"bé/`}},
		{"bom and spaces", "\ufeff  {\"error\" : 0 }  \n", map[string]string{"error": "0"}},
		{"empty object", `{}`, map[string]string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := parseLoose([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range tt.want {
				if got, ok := f[k]; !ok || got != v {
					t.Errorf("%s = %q (present %v), want %q", k, got, ok, v)
				}
			}
		})
	}
}

func TestParseLooseRejects(t *testing.T) {
	for _, in := range []string{
		"",
		"<html><body>502 Bad Gateway</body></html>",
		seedQueued[:60],              // cut in a bare value
		seedQueued[:90],              // cut in a string
		`{"error":0,"status":1`,      // not closed
		`{"error":0,"status":1,`,     // not closed
		`{"error":0} trailing`,       // text after
		`{"error":0}{"error":1}`,     // two objects
		`{"msg":"abc\q"}`,            // bad escape
		`{"msg":order "in" queue}`,   // quote in bare text
		"{\"msg\":ok\n\"status\":1}", // missing comma
		`{"a":}`,
		`{:1}`,
		`["error",0]`,
		`{"x":[1,2}`,
		strings.Repeat(`{"a":`, 20) + "1" + strings.Repeat("}", 20),
	} {
		if f, err := parseLoose([]byte(in)); err == nil {
			t.Errorf("accepted %q: %v", in, f)
		}
	}
}

func TestParseAnswer(t *testing.T) {
	a, err := parseAnswer([]byte(seedQueued))
	if err != nil {
		t.Fatal(err)
	}
	st, _ := a.state()
	if ok, _ := a.processed(); !ok || st != "pending" || a.OrderID != "da9842e1-f561-4728-827b-ac4dd2934d68" || a.PartnerReqID != "5165483" || a.Msg != "order in queue" {
		t.Fatalf("%+v", a)
	}
	a, err = parseAnswer([]byte(legacyAnswer))
	if err != nil {
		t.Fatal(err)
	}
	st, _ = a.state()
	if ok, _ := a.processed(); !ok || st != "succeeded" || a.OpTransID != "ONR2101231816190530" || a.Msg != "Success" || a.UserVars[0] != "rte-554" || a.Commission != "0.3500" {
		t.Fatalf("%+v", a)
	}
	a, err = parseAnswer([]byte(seedDuplicate))
	if ok, _ := a.processed(); err != nil || ok || !isDuplicate(a.Msg) {
		t.Fatalf("%+v %v", a, err)
	}
	for _, bad := range []string{`{"msg":"no error field"}`, `{"error":"","status":1}`} {
		if _, err := parseAnswer([]byte(bad)); err == nil {
			t.Errorf("accepted %s", bad)
		}
	}
	if _, err := (answer{Error: "maybe"}).processed(); err == nil {
		t.Error("error=maybe read as a number")
	}
	// seed L19-L21: only 1, 2 and 3 mean anything.
	for _, s := range []string{"7", "0", "SUCCESS", "pending", " 1"} {
		if st, err := (answer{Status: s}).state(); err == nil || st != "" {
			t.Errorf("status %q read as %q", s, st)
		}
	}
	for _, e := range []string{"false", "true", "no"} {
		if _, err := (answer{Error: e}).processed(); err == nil {
			t.Errorf("error=%s read as a number (seed L15: Number)", e)
		}
	}
}

func TestParseBalanceStrict(t *testing.T) {
	d, _, err := parseBalance([]byte(`{"error":0,"msg":success,"wallet_amount":"1234.50"}`))
	if err != nil || d.String() != "1234.5" {
		t.Fatalf("%v %v", d, err)
	}
	if _, _, err := parseBalance([]byte(`{"error":0,"wallet_amount":"1,234.50"}`)); err == nil {
		t.Fatal("a balance with a thousands separator was read")
	}
	if _, _, err := parseBalance([]byte(`{"error":0}`)); err == nil {
		t.Fatal("missing balance read as zero")
	}
}

func FuzzParseLoose(f *testing.F) {
	for _, s := range []string{seedQueued, seedDuplicate, seedStatus, legacyAnswer, `{"a":{"b":[1,"]"]}}`, `{a:b c,}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, err := parseLoose([]byte(in))
		// Valid JSON objects of strings must read exactly as encoding/json reads them.
		var m map[string]any
		if json.Unmarshal([]byte(in), &m) != nil {
			return
		}
		lower := map[string]string{}
		for k, v := range m {
			s, ok := v.(string)
			if !ok {
				return
			}
			if _, dup := lower[strings.ToLower(k)]; dup || k == "" || strings.ContainsAny(k, ".") {
				return
			}
			lower[strings.ToLower(k)] = s
		}
		if err != nil {
			t.Fatalf("valid JSON %q refused: %v", in, err)
		}
		for k, v := range lower {
			if got[k] != v {
				t.Fatalf("%q: %s = %q, encoding/json says %q", in, k, got[k], v)
			}
		}
	})
}

func FuzzParseAnswer(f *testing.F) {
	for _, s := range []string{seedQueued, seedDuplicate, seedStatus, legacyAnswer, `{"error":1,"msg":"Transaction not found"}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		a, err := parseAnswer([]byte(in))
		if err != nil {
			return
		}
		if a.Error == "" {
			t.Fatal("accepted an answer without error field")
		}
		_, _ = a.processed()
		_, _ = a.state()
		_ = a.commission(defaultMax)
	})
}
