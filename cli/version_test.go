package cli

import (
	"runtime/debug"
	"testing"
)

func TestVersionText(t *testing.T) {
	vcs := func(kv ...string) []debug.BuildSetting {
		var s []debug.BuildSetting
		for i := 0; i < len(kv); i += 2 {
			s = append(s, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return s
	}
	tests := []struct {
		name string
		bi   debug.BuildInfo
		want string
	}{
		{"tagged release from a clean tree", debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.4.0"},
			Settings: vcs("GOOS", "linux", "GOARCH", "amd64", "vcs.revision", "2575ab17", "vcs.time", "2026-11-24T07:00:00Z", "vcs.modified", "false")},
			"kiosk v1.4.0\nrevision 2575ab17 (2026-11-24T07:00:00Z)\ngo1.26.8 linux/amd64\n"},
		{"uncommitted changes", debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v0.0.0-20261124070000-2575ab17cd03+dirty"},
			Settings: vcs("vcs.revision", "2575ab17", "vcs.modified", "true")},
			"kiosk v0.0.0-20261124070000-2575ab17cd03+dirty\nrevision 2575ab17, with uncommitted changes\ngo1.26.8\n"},
		{"no VCS information", debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}},
			"kiosk (devel)\nrevision unknown (built outside a git checkout, or with -buildvcs=false)\ngo1.26.8\n"},
		{"no module version", debug.BuildInfo{GoVersion: "go1.26.8"},
			"kiosk (unknown version)\nrevision unknown (built outside a git checkout, or with -buildvcs=false)\ngo1.26.8\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := versionText(&tt.bi); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}
