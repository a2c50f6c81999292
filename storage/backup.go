package storage

// Backups: a consistent copy of the journal written from one read
// transaction (bbolt's Tx.WriteTo), so it can be taken while the same
// process sells. The copy goes to a temporary name in the backup
// directory, is fsynced and renamed into place, and the directory is
// fsynced; a manifest (JSON) beside it says what it holds. The PIN key is
// never part of a backup: it lives apart from the journal.

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	bolt "go.etcd.io/bbolt"
)

// ManifestFormat names the manifest's layout.
const ManifestFormat = "kiosk-journal-backup/1"

// Manifest describes one backup; it is written beside the copy as
// NAME.json for NAME.db.
type Manifest struct {
	Format   string `json:"format"`
	File     string `json:"file"` // the copy's name in its directory
	Terminal int    `json:"terminal"`
	Epoch    string `json:"epoch"`
	Sequence uint64 `json:"sequence"`
	Sales    int    `json:"sales"`
	LastRef  string `json:"last_ref,omitempty"`
	Schema   int    `json:"schema"`
	// Z is the Z-report the backup was taken after (end of day); 0 for a
	// backup taken by hand.
	Z       uint64    `json:"z,omitempty"`
	Size    int64     `json:"size"`
	SHA256  string    `json:"sha256"`
	Created time.Time `json:"created"`
}

// BackupOptions tune one backup.
type BackupOptions struct {
	Z uint64 // the Z-report just closed, put into the name
}

// backupState is what the read transaction knows about the journal it copies.
type backupState struct {
	epoch   string
	seq     uint64
	sales   int
	lastRef string
	schema  int
}

// Backup writes a consistent copy of the journal into dir and its manifest
// beside it, and returns the manifest. It works beside the journal's own
// writer (one read transaction). A directory that is missing, read-only or
// full is one clear error; no partial file is left and the journal is not
// touched.
func (j *Journal) Backup(dir string, opt BackupOptions) (Manifest, error) {
	if err := backupDirOK(dir); err != nil {
		return Manifest{}, err
	}
	var m Manifest
	err := j.view(func(tx *bolt.Tx) error {
		st, err := readBackupState(tx)
		if err != nil {
			return err
		}
		m = Manifest{Format: ManifestFormat, Terminal: j.terminal, Epoch: st.epoch, Sequence: st.seq,
			Sales: st.sales, LastRef: st.lastRef, Schema: st.schema, Z: opt.Z, Created: j.now().UTC().Truncate(time.Second)}
		m.File, err = freeBackupName(dir, m)
		if err != nil {
			return err
		}
		m.Size, m.SHA256, err = writeCopy(dir, m.File, tx)
		return err
	})
	if err != nil {
		return Manifest{}, backupError(dir, err)
	}
	if err := writeManifest(dir, m); err != nil {
		_ = os.Remove(filepath.Join(dir, m.File))
		syncDir(dir)
		return Manifest{}, backupError(dir, err)
	}
	return m, nil
}

// backupDirOK says clearly why dir cannot take a backup before any byte
// is written.
func backupDirOK(dir string) error {
	if dir == "" {
		return errors.New("backup: no directory given")
	}
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("backup directory %s does not exist: create it (mkdir -p %s) or choose another", dir, dir)
	case err != nil:
		return fmt.Errorf("backup directory %s: %w", dir, err)
	case !st.IsDir():
		return fmt.Errorf("backup directory %s is not a directory", dir)
	}
	return nil
}

// backupError turns a failed write into one line that says what to do.
func backupError(dir string, err error) error {
	switch {
	case errors.Is(err, syscall.ENOSPC), errors.Is(err, syscall.EDQUOT):
		return fmt.Errorf("backup directory %s is full: free some space or choose another; no backup was written", dir)
	case errors.Is(err, syscall.EROFS):
		return fmt.Errorf("backup directory %s is on a read-only file system: choose another; no backup was written", dir)
	case errors.Is(err, fs.ErrPermission):
		return fmt.Errorf("backup directory %s cannot be written by this user: fix its permissions or choose another; no backup was written", dir)
	case errors.Is(err, ErrDamaged):
		return err
	}
	return fmt.Errorf("backup to %s failed: %w; no backup was written", dir, err)
}

func readBackupState(tx *bolt.Tx) (backupState, error) {
	var st backupState
	var err error
	if st.schema, err = schemaVersion(tx); err != nil {
		return st, err
	}
	meta := tx.Bucket(bucketMeta)
	if meta == nil {
		return st, errors.New("the journal has no meta bucket")
	}
	st.epoch = string(meta.Get(keyEpoch))
	if b := meta.Get(keySeq); len(b) == 8 {
		st.seq = binary.BigEndian.Uint64(b)
	}
	if sales := tx.Bucket(bucketSales); sales != nil {
		st.sales = sales.Stats().KeyN
	}
	if bt := tx.Bucket(bucketByTime); bt != nil {
		if k, _ := bt.Cursor().Last(); len(k) > 8 {
			st.lastRef = string(k[8:])
		}
	}
	return st, nil
}

// BackupPrefix starts the name of every backup of a terminal.
func BackupPrefix(terminal int) string { return fmt.Sprintf("kiosk-T%03d-", terminal) }

// backupName is kiosk-T003-20261124T101500Z[-Z0012]-0031234560000042.db.
func backupName(m Manifest, n int) string {
	var b strings.Builder
	b.WriteString(BackupPrefix(m.Terminal))
	b.WriteString(m.Created.UTC().Format("20060102T150405Z"))
	if m.Z > 0 {
		fmt.Fprintf(&b, "-Z%04d", m.Z)
	}
	b.WriteString("-")
	if m.LastRef != "" {
		b.WriteString(m.LastRef)
	} else {
		b.WriteString("nosales")
	}
	if n > 1 {
		fmt.Fprintf(&b, "-%d", n)
	}
	b.WriteString(".db")
	return b.String()
}

// freeBackupName picks a name no earlier backup in dir has (two backups
// in one second with no sale between them).
func freeBackupName(dir string, m Manifest) (string, error) {
	for n := 1; n < 100; n++ {
		name := backupName(m, n)
		_, err := os.Lstat(filepath.Join(dir, name))
		if errors.Is(err, fs.ErrNotExist) {
			return name, nil
		}
		if err != nil {
			return "", err
		}
	}
	return "", errors.New("too many backups with the same name")
}

// ManifestName is the manifest's name for the copy named file.
func ManifestName(file string) string { return strings.TrimSuffix(file, ".db") + ".json" }

// writeCopy writes tx's copy of the journal to a temporary file in dir,
// fsyncs it and renames it to name. It returns the size and sha256.
func writeCopy(dir, name string, tx *bolt.Tx) (int64, string, error) {
	f, err := os.CreateTemp(dir, ".kiosk-backup-*.tmp")
	if err != nil {
		return 0, "", err
	}
	tmp := f.Name()
	done := false
	defer func() {
		if !done {
			_ = f.Close()
			_ = os.Remove(tmp)
		}
	}()
	if err := f.Chmod(0o600); err != nil {
		return 0, "", err
	}
	h := sha256.New()
	n, err := tx.WriteTo(io.MultiWriter(f, h))
	if err != nil {
		return 0, "", err
	}
	if err := f.Sync(); err != nil {
		return 0, "", err
	}
	if err := f.Close(); err != nil {
		return 0, "", err
	}
	if err := os.Rename(tmp, filepath.Join(dir, name)); err != nil {
		_ = os.Remove(tmp)
		done = true
		return 0, "", err
	}
	done = true
	syncDir(dir)
	return n, hex.EncodeToString(h.Sum(nil)), nil
}

// writeManifest writes the manifest beside its copy, as the copy is written.
func writeManifest(dir string, m Manifest) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return writeFileAtomic(dir, ManifestName(m.File), append(b, '\n'))
}

// writeFileAtomic writes data to dir/name through a fsynced temporary
// file, a rename and a fsync of the directory.
func writeFileAtomic(dir, name string, data []byte) error {
	f, err := os.CreateTemp(dir, ".kiosk-backup-*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, werr := f.Write(data)
	serr := f.Sync()
	cerr := f.Close()
	if err := errors.Join(werr, serr, cerr); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, filepath.Join(dir, name)); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	syncDir(dir)
	return nil
}

// syncDir makes a rename in dir durable. A directory that cannot be
// synced is not an error of the backup itself (some file systems refuse).
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
}

// ReadManifest reads the manifest beside the copy at path; a copy without
// one gives an error wrapping fs.ErrNotExist.
func ReadManifest(path string) (Manifest, error) {
	mpath := filepath.Join(filepath.Dir(path), ManifestName(filepath.Base(path)))
	b, err := os.ReadFile(mpath)
	if err != nil {
		return Manifest{}, fmt.Errorf("manifest %s: %w", mpath, err)
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return Manifest{}, fmt.Errorf("manifest %s is not readable: %w", mpath, err)
	}
	if m.Format != ManifestFormat {
		return Manifest{}, fmt.Errorf("manifest %s: unknown format %q", mpath, m.Format)
	}
	return m, nil
}

// PruneBackups removes the oldest backups of terminal in dir (each with
// its manifest) beyond the newest keep, and returns the names removed.
// Backups of other terminals and files that are not backups are left
// alone. keep < 1 removes nothing.
func PruneBackups(dir string, terminal, keep int) ([]string, error) {
	if keep < 1 {
		return nil, nil
	}
	names, err := ListBackups(dir, terminal)
	if err != nil || len(names) <= keep {
		return nil, err
	}
	old := names[:len(names)-keep]
	var errs []error
	for _, name := range old {
		for _, f := range []string{ManifestName(name), name} { // the manifest first: a copy alone is still a copy
			if err := os.Remove(filepath.Join(dir, f)); err != nil && !errors.Is(err, fs.ErrNotExist) {
				errs = append(errs, err)
			}
		}
	}
	syncDir(dir)
	if err := errors.Join(errs...); err != nil {
		return old, fmt.Errorf("remove old backups in %s: %w", dir, err)
	}
	return old, nil
}

// ListBackups lists terminal's backup copies in dir, oldest first (their
// names start with the time they were taken, in UTC).
func ListBackups(dir string, terminal int) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("backup directory %s: %w", dir, err)
	}
	prefix := BackupPrefix(terminal)
	var names []string
	for _, e := range entries {
		n := e.Name()
		if e.Type().IsRegular() && strings.HasPrefix(n, prefix) && strings.HasSuffix(n, ".db") {
			names = append(names, n)
		}
	}
	sort.Slice(names, func(a, b int) bool {
		return backupTime(names[a]) < backupTime(names[b]) ||
			backupTime(names[a]) == backupTime(names[b]) && names[a] < names[b]
	})
	return names, nil
}

// backupTime is the time stamp in a backup's name (sortable text).
func backupTime(name string) string {
	parts := strings.SplitN(name, "-", 4) // kiosk, T003, the time, the rest
	if len(parts) < 3 {
		return ""
	}
	return parts[2]
}
