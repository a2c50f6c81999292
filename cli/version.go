package cli

import (
	"errors"
	"fmt"
	"runtime/debug"
	"strings"
)

// version prints the module version and the VCS revision the binary was
// built from, as the Go toolchain recorded them, for support and updates.
func (e *env) version(args []string) error {
	if len(args) > 0 {
		return usageError{"usage: kiosk version"}
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return errors.New("this binary carries no build information (it was not built with module support)")
	}
	fmt.Fprint(e.out, versionText(bi))
	return nil
}

// versionText is "kiosk VERSION", then the revision with its time and
// whether the tree had uncommitted changes, then the Go toolchain and
// platform.
func versionText(bi *debug.BuildInfo) string {
	set := map[string]string{}
	for _, s := range bi.Settings {
		set[s.Key] = s.Value
	}
	var b strings.Builder
	v := bi.Main.Version
	if v == "" {
		v = "(unknown version)"
	}
	fmt.Fprintf(&b, "kiosk %s\n", v)
	if rev := set["vcs.revision"]; rev != "" {
		fmt.Fprintf(&b, "revision %s", rev)
		if t := set["vcs.time"]; t != "" {
			fmt.Fprintf(&b, " (%s)", t)
		}
		if set["vcs.modified"] == "true" {
			b.WriteString(", with uncommitted changes")
		}
		b.WriteString("\n")
	} else {
		b.WriteString("revision unknown (built outside a git checkout, or with -buildvcs=false)\n")
	}
	fmt.Fprintf(&b, "%s", bi.GoVersion)
	if set["GOOS"] != "" {
		fmt.Fprintf(&b, " %s/%s", set["GOOS"], set["GOARCH"])
	}
	b.WriteString("\n")
	return b.String()
}
