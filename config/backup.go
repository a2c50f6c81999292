package config

import (
	"os"
	"path/filepath"
	"strings"
)

// DefaultBackupKeep is how many backups closing the day keeps when
// backup.keep is not set: two weeks of daily closes.
const DefaultBackupKeep = 14

// checkBackup validates [backup] and fills in its default.
func (c *Config) checkBackup() []error {
	var errs []error
	b := &c.Backup
	dirSet := c.md.IsDefined("backup", "dir")
	switch {
	case dirSet && strings.TrimSpace(b.Dir) == "":
		errs = append(errs, c.Errorf("backup.dir", "is empty; remove the line to turn automatic backups off"))
	case dirSet && !filepath.IsAbs(expandHome(b.Dir)):
		errs = append(errs, c.Errorf("backup.dir", "%q must be an absolute path (like /var/backups/kiosk)", b.Dir))
	case dirSet:
		b.Dir = filepath.Clean(expandHome(b.Dir))
	}
	if c.md.IsDefined("backup", "keep") {
		switch {
		case b.Keep < 1:
			errs = append(errs, c.Errorf("backup.keep", "must be at least 1 (copies kept), got %d", b.Keep))
		case !dirSet:
			errs = append(errs, c.Errorf("backup.keep", "needs backup.dir: say where the copies go"))
		}
	} else if dirSet {
		b.Keep = DefaultBackupKeep
	}
	return errs
}

// expandHome turns "~/x" into the home directory's x.
func expandHome(p string) string {
	if rest, ok := strings.CutPrefix(p, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, rest)
		}
	}
	return p
}
