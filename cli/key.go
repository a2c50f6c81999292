package cli

import (
	"encoding/hex"
	"fmt"
	"os"
	"strings"

	"kiosk/storage"
)

const keyUsage = `Usage: kiosk [--as NAME] key show

Prints the journal key (the PINs in the journal and in every backup are
encrypted with it) in groups, for writing down. A supervisor's, audited.
`

// KeyAdvice is where to keep the key, printed with it.
const KeyAdvice = `Write it down and keep it away from this PC and from the backups (a safe,
or with the owner): a backup with its key gives away every PIN in it, and a
backup without it gives away none, not even to you. To put it back, write the
64 digits (spaces allowed) into the key file, mode 0600.`

func (e *env) key(args []string) error {
	if len(args) != 1 || args[0] != "show" {
		if len(args) == 1 && (args[0] == "help" || args[0] == "-h" || args[0] == "--help") {
			fmt.Fprint(e.out, keyUsage)
			return nil
		}
		return usageError{strings.TrimSpace(keyUsage)}
	}
	k, err := e.open()
	if err != nil {
		return err
	}
	defer k.Close()
	by, err := e.actor(k, supervisor, "show the journal key")
	if err != nil {
		return err
	}
	key, where, err := journalKey(k.Config.Journal.KeyFile, k.Config.Journal.KeyEnv)
	if err != nil {
		return err
	}
	// Audited before it is shown: a key shown is a key that may be copied.
	if err := k.Engine.Audit(e.name(by), "showed journal key", "", "kiosk key show ("+where+")"); err != nil {
		return fmt.Errorf("the key is not shown: the audit entry was not written: %w", err)
	}
	fmt.Fprintf(e.out, "Journal key (%s):\n\n%s\n\n%s\n", where, KeyGroups(key), KeyAdvice)
	return nil
}

// journalKey reads the key where the configuration keeps it.
func journalKey(file, env string) ([]byte, string, error) {
	if env != "" {
		v, ok := os.LookupEnv(env)
		if !ok || v == "" {
			return nil, "", fmt.Errorf("the journal key is not available: environment variable %s (journal.key_env) is not set", env)
		}
		key, err := storage.ParseKey(v)
		return key, "environment variable " + env, err
	}
	key, err := storage.LoadKeyFile(file, false)
	return key, file, err
}

// KeyGroups writes a key as hex digits in groups of four, eight groups a
// line: 64 digits in two lines, easy to copy by hand and to read back.
func KeyGroups(key []byte) string {
	h := hex.EncodeToString(key)
	var b strings.Builder
	for i := 0; i < len(h); i += 4 {
		switch {
		case i == 0:
		case i%32 == 0:
			b.WriteByte('\n')
		default:
			b.WriteByte(' ')
		}
		b.WriteString(h[i:min(i+4, len(h))])
	}
	return b.String()
}
