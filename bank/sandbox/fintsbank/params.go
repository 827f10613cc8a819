package fintsbank

import (
	"slices"

	"github.com/kontor-dev/kontor"
	"github.com/kontor-dev/kontor/bank/fints/segment"
	"github.com/kontor-dev/kontor/bank/fints/wire"
	"github.com/kontor-dev/kontor/bank/sandbox"
)

// Versions of the parameter data. The BPD are the same for every user;
// which TAN methods a user may use is said by return code 3920.
const (
	bpdVersion = 1
	updVersion = 1
)

// Descriptors of the documents the sandbox serves.
const (
	urnPrefix    = "urn:iso:std:iso:20022:tech:xsd:"
	camt05202    = "camt.052.001.02"
	camt05208    = "camt.052.001.08"
	pain00100103 = "pain.001.001.03"
	pain00100303 = "pain.001.003.03"
	pain00800302 = "pain.008.003.02"
)

// Decoupled polling parameters of HITANS 7.
const (
	maxStatusQueries = 60
	firstQueryDelay  = 1 // seconds
	nextQueryDelay   = 1 // seconds
)

// tanJobs says which jobs HIPINS marks as TAN-relevant: for those the
// bank decides per request whether SCA is needed (after a dialog
// initialisation with SCA it is not).
var tanJobs = []segment.JobTAN{
	{Job: "HKSPA", TAN: false},
	{Job: "HKSAL", TAN: true},
	{Job: "HKKAZ", TAN: true},
	{Job: "HKCAZ", TAN: true},
	{Job: "HKWPD", TAN: false},
	{Job: "HKCDB", TAN: false},
	{Job: "HKTAB", TAN: false},
	{Job: "HKTAN", TAN: false},
}

// needsTAN reports whether HIPINS marks job as TAN-relevant.
func needsTAN(job string) bool {
	for _, j := range tanJobs {
		if j.Job == job {
			return j.TAN
		}
	}
	return false
}

// jobVersions are the versions of each job the sandbox serves; HIxxxS
// segments are announced for them.
var jobVersions = map[string][]int{
	"HKSPA": {1, 2, 3},
	"HKSAL": {5, 6, 7},
	"HKKAZ": {5, 6, 7},
	"HKCAZ": {1},
	"HKWPD": {5, 6},
	"HKCDB": {1},
	"HKTAB": {4, 5},
}

// servesVersion reports whether the sandbox serves job in version v.
func servesVersion(job string, v int) bool { return slices.Contains(jobVersions[job], v) }

// allMethods returns every TAN method of the catalogue once, by code, in
// catalogue order.
func allMethods() []sandbox.TANMethod {
	var out []sandbox.TANMethod
	for _, sc := range sandbox.Scenarios() {
		for _, m := range sc.TANMethods {
			if !slices.ContainsFunc(out, func(o sandbox.TANMethod) bool { return o.ID == m.ID }) {
				out = append(out, m)
			}
		}
	}
	return out
}

// hitansMethod describes a sandbox TAN method as HITANS does.
func hitansMethod(m sandbox.TANMethod) segment.TANMethod {
	t := segment.TANMethod{
		SecurityFunction: m.ID,
		Process:          2,
		Name:             m.Name,
		ReturnValueText:  "TAN",
		MaxReturnLength:  2048,
		TimeAndDialog:    1,
		InitMode:         "00",
		MediumRequired:   segment.MediumNotAllowed,
	}
	switch {
	case m.Decoupled:
		t.TechnicalID, t.DKMethod = "SBAPP", "Decoupled"
		t.ReturnValueText = "Freigabe"
		t.MaxStatusQueries, t.FirstQueryDelay, t.NextQueryDelay = maxStatusQueries, firstQueryDelay, nextQueryDelay
		t.ManualConfirm, t.AutomatedQueries = true, true
	case m.ID == "912":
		t.TechnicalID, t.DKMethod, t.DKVersion = "HHD1.4OPT", "HHD", "1.4"
		t.MaxTANLength, t.TANFormat = 6, 1
	default:
		t.TechnicalID, t.DKMethod = "SBTAN", "mobileTAN"
		t.MaxTANLength, t.TANFormat = 6, 1
	}
	return t
}

// bpdSegments builds the bank parameter data; every segment refers to
// client segment ref (the HKVVB).
func bpdSegments(ref int) []wire.Segment {
	bank := segment.BankID{Country: segment.CountryDE, Code: sandbox.BankCode}
	segs := []wire.Segment{
		segment.HIBPA{Version: bpdVersion, Bank: bank, BankName: sandbox.BankName, MaxJobs: 3,
			Languages: []int{segment.LanguageGerman}, HBCIVersions: []int{wire.HBCIVersion},
			MinTimeout: 60, MaxTimeout: int(DefaultDialogTTL.Seconds())}.Segment(),
	}
	shv := wire.NewSegment("HISHV", 3)
	shv.Add(wire.Bool(false))
	shv.Add(wire.Text("PIN"), wire.Num(1))
	segs = append(segs, shv)

	var v6, v7 []segment.TANMethod
	for _, m := range allMethods() {
		hm := hitansMethod(m)
		if !m.Decoupled {
			v6 = append(v6, hm)
		}
		v7 = append(v7, hm)
	}
	segs = append(segs,
		segment.HITANS{Version: 6, MaxJobs: 1, MinSignatures: 1, OneStepAllowed: true, Methods: v6}.Segment(),
		segment.HITANS{Version: 7, MaxJobs: 1, MinSignatures: 1, OneStepAllowed: true, Methods: v7}.Segment(),
		segment.HIPINS{MaxJobs: 1, MinSignatures: 1, MinPINLength: 5, MaxPINLength: 20, MaxTANLength: 6,
			UserIDText: "Anmeldename", CustomerIDText: "Kunden-ID", Jobs: tanJobs}.Segment(),
	)

	sepa := segment.SEPAParams{SingleAccount: true, NationalAccount: true,
		Formats: []string{urnPrefix + pain00100103, urnPrefix + pain00100303, urnPrefix + pain00800302}}
	for _, v := range jobVersions["HKSPA"] {
		segs = append(segs, params("HISPAS", v, sepa.Element(v)))
	}
	for _, v := range jobVersions["HKSAL"] {
		segs = append(segs, params("HISALS", v, nil))
	}
	for _, v := range jobVersions["HKKAZ"] {
		sp := segment.StatementParams{RetentionDays: retentionDays, MaxEntriesAllowed: true}
		segs = append(segs, params("HIKAZS", v, sp.Element(v)))
	}
	camt := segment.CamtParams{RetentionDays: retentionDays, MaxEntriesAllowed: true,
		Formats: []string{urnPrefix + camt05202, urnPrefix + camt05208}}
	segs = append(segs, params("HICAZS", 1, camt.Element()))
	for _, v := range jobVersions["HKWPD"] {
		segs = append(segs, params("HIWPDS", v, segment.HoldingsParams{}.Element()))
	}
	segs = append(segs, params("HICDBS", 1, wire.Element{wire.Bool(true)}))
	for _, v := range jobVersions["HKTAB"] {
		segs = append(segs, params("HITABS", v, nil))
	}
	for i := range segs {
		segs[i].Header.Ref = ref
	}
	return segs
}

// retentionDays is how many days back statements reach (15 months and a
// margin).
const retentionDays = 500

func params(typ string, version int, p wire.Element) wire.Segment {
	return segment.Params{Type: typ, Version: version, MaxJobs: 1, MinSignatures: 1, Params: p}.Segment()
}

// FinTS account types of the sandbox's accounts.
func fintsAccountType(typ string) int {
	switch typ {
	case kontor.AccountGiro:
		return 1
	case kontor.AccountSavings:
		return 10
	case kontor.AccountDepot:
		return 30
	case kontor.AccountCreditCard:
		return 50
	}
	return 90
}

// allowedJobs lists the jobs the UPD allow for an account.
func allowedJobs(a kontor.Account) []string {
	if a.Type == kontor.AccountDepot {
		return []string{"HKSPA", "HKWPD", "HKTAB", "HKTAN"}
	}
	jobs := []string{"HKSPA", "HKSAL", "HKKAZ"}
	if a.IBAN != "" {
		jobs = append(jobs, "HKCAZ", "HKCDB")
	}
	return append(jobs, "HKTAB", "HKTAN")
}

// updSegments builds the user parameter data of a login; every segment
// refers to client segment ref.
func updSegments(ref int, userID, customerID string, accounts []sandbox.AccountData) []wire.Segment {
	segs := []wire.Segment{segment.HIUPA{UserID: userID, Version: updVersion, Usage: segment.UPDJobsListed}.Segment()}
	for _, a := range accounts {
		u := segment.HIUPD{
			Account:    accountOf(a.Account, false),
			CustomerID: customerID,
			Type:       fintsAccountType(a.Type),
			Currency:   a.Currency,
			Owner1:     a.Owner,
			Product:    a.Name,
		}
		for _, j := range allowedJobs(a.Account) {
			u.Jobs = append(u.Jobs, segment.AllowedJob{Job: j, MinSignatures: 1})
		}
		segs = append(segs, u.Segment())
	}
	for i := range segs {
		segs[i].Header.Ref = ref
	}
	return segs
}

// accountOf returns the FinTS account of a sandbox account; the BIC only
// with an IBAN, and only when withBIC.
func accountOf(a kontor.Account, withBIC bool) segment.Account {
	acc := segment.Account{IBAN: a.IBAN, Number: a.Number, Country: segment.CountryDE, BankCode: sandbox.BankCode}
	if withBIC && a.IBAN != "" {
		acc.BIC = sandbox.BIC
	}
	return acc
}
