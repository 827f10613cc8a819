package main

import (
	"context"
	"encoding/hex"
	"fmt"
	"log/slog"

	"github.com/kontor-dev/kontor/bank"
	"github.com/kontor-dev/kontor/bank/fints"
	"github.com/kontor-dev/kontor/bank/sandbox"
	"github.com/kontor-dev/kontor/bankdir"
	"github.com/kontor-dev/kontor/sqlstore"
	"github.com/kontor-dev/kontor/vault"
)

// directory serves the embedded German bank directory, with the sandbox
// bank added, as a bank.Directory. The sandbox bank's FinTS address is
// this server's (sandboxFinTS): the embedded directory is shared by every
// server of the process, so the address is set on the way out.
type directory struct {
	d            *bankdir.Directory
	sandboxFinTS string
}

// newDirectory returns the directory; sandboxFinTS is the URL the sandbox
// bank's FinTS server is reached at.
func newDirectory(sandboxFinTS string) (directory, error) {
	d, err := bankdir.Default()
	if err != nil {
		return directory{}, err
	}
	if _, ok := d.Lookup(sandbox.BankCode); !ok {
		if err := d.Register(sandbox.DirectoryBank("")); err != nil {
			return directory{}, fmt.Errorf("registering the sandbox bank: %w", err)
		}
	}
	return directory{d: d, sandboxFinTS: sandboxFinTS}, nil
}

func (d directory) toBank(b bankdir.Bank) bank.Bank {
	out := bank.Bank{Code: b.BankCode, BIC: b.BIC, Name: b.Name, FinTSURL: b.FinTSURL}
	if len(b.Cities) > 0 {
		out.City = b.Cities[0]
	}
	if b.BankCode == sandbox.BankCode {
		out.FinTSURL = d.sandboxFinTS
	}
	return out
}

// Lookup finds a bank by bank code.
func (d directory) Lookup(code string) (bank.Bank, bool) {
	b, ok := d.d.Lookup(code)
	return d.toBank(b), ok
}

// Search finds banks by name, bank code, BIC or city.
func (d directory) Search(query string, limit int) []bank.Bank {
	found := d.d.Search(query, limit)
	out := make([]bank.Bank, len(found))
	for i, b := range found {
		out[i] = d.toBank(b)
	}
	return out
}

// router picks the connector of a bank: every bank with a FinTS address
// in the directory is reached over FinTS, the sandbox bank too (at
// SandboxFinTSPath under the public URL, so that the whole FinTS client
// is exercised); other banks are not supported.
func (m *Main) router() bank.Router {
	fc := &fints.Connector{
		ProductID:      m.Config.FinTSProductID,
		ProductVersion: fintsProductVersion(m.Config.FinTSProductVersion, Version()),
		Logger:         m.Log,
	}
	return func(b bank.Bank) (bank.Connector, error) {
		if b.FinTSURL != "" {
			return fc, nil
		}
		return nil, fmt.Errorf("bank %s has no FinTS address: %w", b.Code, bank.ErrUnsupported)
	}
}

// devKeySetting holds the generated development key when no
// KONTOR_SECRET_KEY is configured.
const devKeySetting = "development_secret_key"

// keyring returns the vault keys from the configuration, or a development
// key kept in the database, with a loud warning: with it, whoever reads
// the database can decrypt stored bank credentials.
func keyring(ctx context.Context, cfg Config, store *sqlstore.DB, log *slog.Logger) (*vault.Keyring, error) {
	if cfg.SecretKey != "" {
		keys, err := vault.ParseKeys(cfg.SecretKey)
		if err != nil {
			return nil, fmt.Errorf("KONTOR_SECRET_KEY: %w", err)
		}
		return vault.NewKeyring(keys...)
	}
	enc, err := store.Setting(ctx, devKeySetting, func() (string, error) { return hex.EncodeToString(vault.NewKey()), nil })
	if err != nil {
		return nil, err
	}
	log.Warn("*** NO KONTOR_SECRET_KEY SET: bank credentials are encrypted with a development key stored in the database itself. " +
		"Set KONTOR_SECRET_KEY (32 bytes, hex or base64) or KONTOR_SECRET_KEY_FILE before storing real credentials. ***")
	keys, err := vault.ParseKeys(enc)
	if err != nil {
		return nil, err
	}
	return vault.NewKeyring(keys...)
}
