package main

import (
	"fmt"
	"strings"

	"github.com/kontor-dev/kontor/bank/fints"
	"github.com/kontor-dev/kontor/bank/fints/wire"
)

// SandboxFinTSPath is where the sandbox bank's FinTS server is mounted;
// Kontor's own FinTS client reaches the sandbox bank there, under the
// public URL.
const SandboxFinTSPath = "/fints/sandbox"

// maxProductVersion is the length of the FinTS product version (an..5).
const maxProductVersion = 5

// checkFinTSProduct validates the FinTS product settings.
func checkFinTSProduct(cfg Config) error {
	if v := cfg.FinTSProductVersion; v != "" {
		if _, ok := wire.Latin1(v); !ok || len(v) > maxProductVersion {
			return fmt.Errorf("KONTOR_FINTS_PRODUCT_VERSION: want at most %d Latin-1 characters, got %q", maxProductVersion, v)
		}
	}
	if _, ok := wire.Latin1(cfg.FinTSProductID); !ok || len(cfg.FinTSProductID) > 30 {
		return fmt.Errorf("KONTOR_FINTS_PRODUCT_ID: want a registration number of at most 30 Latin-1 characters")
	}
	return nil
}

// fintsProductVersion returns the configured FinTS product version, or one
// derived from Kontor's version: "v1.4.2" becomes "1.4.2", and versions
// longer than five characters lose their last parts ("1.12.10" becomes
// "1.12"). A version that is no dotted number (a development build) is
// sent as fints.DefaultProductVersion.
func fintsProductVersion(configured, version string) string {
	if configured != "" {
		return configured
	}
	v := strings.TrimPrefix(version, "v")
	v, _, _ = strings.Cut(v, "-")
	v, _, _ = strings.Cut(v, "+")
	parts := strings.Split(v, ".")
	for _, p := range parts {
		if p == "" || strings.Trim(p, "0123456789") != "" {
			return fints.DefaultProductVersion
		}
	}
	for len(parts) > 1 && len(strings.Join(parts, ".")) > maxProductVersion {
		parts = parts[:len(parts)-1]
	}
	if out := strings.Join(parts, "."); len(out) <= maxProductVersion {
		return out
	}
	return fints.DefaultProductVersion
}
