package main

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/kontor-dev/kontor/bank"
	"github.com/kontor-dev/kontor/bank/fints"
)

// TestFinTSProductConfig reads the FinTS product settings from the
// environment and refuses values FinTS cannot carry.
func TestFinTSProductConfig(t *testing.T) {
	env := func(vars map[string]string) func(string) string {
		return func(name string) string { return vars[name] }
	}
	cfg, err := loadServeConfig(nil, env(map[string]string{"KONTOR_FINTS_PRODUCT_ID": "ABC123DEF", "KONTOR_FINTS_PRODUCT_VERSION": "2.1"}), io.Discard)
	if err != nil || cfg.FinTSProductID != "ABC123DEF" || cfg.FinTSProductVersion != "2.1" {
		t.Fatalf("config = %q %q, %v", cfg.FinTSProductID, cfg.FinTSProductVersion, err)
	}
	cfg, err = loadServeConfig(nil, env(nil), io.Discard)
	if err != nil || cfg.FinTSProductID != "" || cfg.FinTSProductVersion != "" {
		t.Fatalf("defaults = %q %q, %v", cfg.FinTSProductID, cfg.FinTSProductVersion, err)
	}
	for name, vars := range map[string]map[string]string{
		"long version":     {"KONTOR_FINTS_PRODUCT_VERSION": "1.2.3.4"},
		"non-Latin-1 ID":   {"KONTOR_FINTS_PRODUCT_ID": "Kontor€"},
		"overlong ID":      {"KONTOR_FINTS_PRODUCT_ID": strings.Repeat("A", 31)},
		"non-Latin-1 vers": {"KONTOR_FINTS_PRODUCT_VERSION": "1.€"},
	} {
		if _, err := loadServeConfig(nil, env(vars), io.Discard); err == nil || !strings.Contains(err.Error(), "KONTOR_FINTS_PRODUCT") {
			t.Errorf("%s: error = %v, want one naming the variable", name, err)
		}
	}
}

func TestFinTSProductVersion(t *testing.T) {
	for _, tc := range []struct{ configured, version, want string }{
		{"", "v1.4.2", "1.4.2"},
		{"", "1.12.10", "1.12"},
		{"", "v0.3.0-rc.1", "0.3.0"},
		{"", "123456", fints.DefaultProductVersion},
		{"", "devel", fints.DefaultProductVersion},
		{"", "3f2a9c1d0e4b-dirty", fints.DefaultProductVersion},
		{"", "", fints.DefaultProductVersion},
		{"9.9", "v1.4.2", "9.9"},
	} {
		if got := fintsProductVersion(tc.configured, tc.version); got != tc.want {
			t.Errorf("fintsProductVersion(%q, %q) = %q, want %q", tc.configured, tc.version, got, tc.want)
		}
	}
}

// TestRouter sends banks with a FinTS address, the sandbox bank among
// them, to the FinTS connector and refuses the others.
func TestRouter(t *testing.T) {
	s := startServer(t, sqliteURL(t), func(c *Config) { c.FinTSProductID = "KONTORTEST" })
	dir, err := newDirectory(s.base + SandboxFinTSPath)
	if err != nil {
		t.Fatal(err)
	}
	route := s.router()
	for _, code := range []string{"10020000", "37010050"} {
		b, ok := dir.Lookup(code)
		if !ok || b.FinTSURL == "" {
			t.Fatalf("bank %s: %+v, %v", code, b, ok)
		}
		conn, err := route(b)
		fc, isFinTS := conn.(*fints.Connector)
		if err != nil || !isFinTS || fc.ProductID != "KONTORTEST" || fc.ProductVersion == "" {
			t.Errorf("bank %s routed to %T %+v, %v; want the FinTS connector", code, conn, conn, err)
		}
	}
	if b, _ := dir.Lookup("10020000"); b.FinTSURL != s.base+"/fints/sandbox" {
		t.Errorf("sandbox FinTS URL = %q", b.FinTSURL)
	}
	// Commerzbank Köln has no FinTS address in the directory.
	b, ok := dir.Lookup("37040044")
	if !ok || b.FinTSURL != "" {
		t.Fatalf("37040044: %+v, %v", b, ok)
	}
	if _, err := route(b); !errors.Is(err, bank.ErrUnsupported) {
		t.Errorf("bank without FinTS: error = %v, want bank.ErrUnsupported", err)
	}
}
