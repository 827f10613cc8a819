package finformat

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/kontor-dev/kontor"
)

func TestPain001Golden(t *testing.T) {
	for _, path := range files(t, "pain/*.xml") {
		t.Run(path, func(t *testing.T) {
			p, err := ParsePain001(readFile(t, path))
			if err != nil {
				t.Fatal(err)
			}
			sched := StandingOrderSchedule{FirstExecution: d("2025-01-02"), Unit: "M", Turnus: 1, ExecutionDay: 2}
			so, _, err := StandingOrderFromHICDB("order-1", sched, readFile(t, path))
			if err != nil {
				t.Fatal(err)
			}
			checkGolden(t, goldenPath(path), map[string]any{"pain001": p, "standingOrder": so})
			out, err := GeneratePain001(p)
			if err != nil {
				t.Fatal(err)
			}
			back, err := ParsePain001(out)
			if err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			if !reflect.DeepEqual(back, p) {
				t.Errorf("round trip differs:\n%s", out)
			}
		})
	}
}

func TestStandingOrderFromHICDB(t *testing.T) {
	sched := StandingOrderSchedule{FirstExecution: d("2024-11-15"), Unit: "M", Turnus: 3, ExecutionDay: 15, LastExecution: d("2026-11-15")}
	so, p, err := StandingOrderFromHICDB("1234567", sched, readFile(t, "testdata/pain/standing_order_001_03.xml"))
	if err != nil {
		t.Fatal(err)
	}
	want := kontor.StandingOrder{
		ID: "1234567", FirstExecutionDate: tsd("2024-11-15"), LastExecutionDate: tsd("2026-11-15"),
		ExecutionDay: 15, Interval: kontor.IntervalQuarterly, Amount: amt("150.00"), Currency: "EUR", Purpose: "Taschengeld",
	}
	if !reflect.DeepEqual(so, want) {
		t.Errorf("\n got %+v\nwant %+v", so, want)
	}
	tr := p.Payments[0].Transfers[0]
	wantString(t, "creditor", tr.CreditorName, "Erika Mustermann")
	wantString(t, "creditor IBAN", tr.CreditorIBAN, "DE75512108001245126199")
	wantString(t, "creditor BIC", tr.CreditorBIC, "GENODEF1S10")
	wantString(t, "debtor BIC", p.Payments[0].DebtorBIC, "BYLADEM1001")
	wantAmount(t, "control sum", *p.ControlSum, "150.00")
	if !p.Payments[0].ExecutionDate.Equal(d("1999-01-01")) {
		t.Errorf("execution date = %v", p.Payments[0].ExecutionDate)
	}

	so, p, err = StandingOrderFromHICDB("DA42", StandingOrderSchedule{FirstExecution: d("2025-05-01"), Unit: "W", Turnus: 2, ExecutionDay: 5},
		readFile(t, "testdata/pain/standing_order_001_09.xml"))
	if err != nil {
		t.Fatal(err)
	}
	wantString(t, ".09 version", p.Version, "pain.001.001.09")
	wantString(t, ".09 BICFI", p.Payments[0].Transfers[0].CreditorBIC, "GENODEF1S10")
	wantString(t, ".09 purpose code", p.Payments[0].Transfers[0].PurposeCode, "RENT")
	wantString(t, "interval", so.Interval, "EVERY_2_WEEKS")
	if !so.LastExecutionDate.IsZero() {
		t.Errorf("open-ended order has last execution %v", so.LastExecutionDate)
	}
	if !p.Payments[0].ExecutionDate.Equal(d("1999-01-01")) {
		t.Errorf(".09 ReqdExctnDt/Dt = %v", p.Payments[0].ExecutionDate)
	}
}

func TestIntervals(t *testing.T) {
	for _, c := range []struct {
		unit     string
		turnus   int
		interval string
	}{
		{"W", 1, "WEEKLY"}, {"M", 1, "MONTHLY"}, {"M", 3, "QUARTERLY"}, {"M", 6, "HALF_YEARLY"}, {"M", 12, "YEARLY"},
		{"M", 2, "EVERY_2_MONTHS"}, {"W", 4, "EVERY_4_WEEKS"},
	} {
		got, err := IntervalOf(c.unit, c.turnus)
		if err != nil || got != c.interval {
			t.Errorf("IntervalOf(%s, %d) = %q, %v; want %q", c.unit, c.turnus, got, err, c.interval)
		}
		u, n, err := UnitAndTurnus(c.interval)
		if err != nil || u != c.unit || n != c.turnus {
			t.Errorf("UnitAndTurnus(%s) = %s, %d, %v", c.interval, u, n, err)
		}
	}
	for _, bad := range []struct {
		unit   string
		turnus int
	}{{"Y", 1}, {"M", 0}, {"W", 100}} {
		if _, err := IntervalOf(bad.unit, bad.turnus); err == nil {
			t.Errorf("IntervalOf(%s, %d): no error", bad.unit, bad.turnus)
		}
	}
	if _, _, err := UnitAndTurnus("DAILY"); err == nil {
		t.Error("UnitAndTurnus(DAILY): no error")
	}
}

// TestHICDBFromStandingOrder generates HICDB data for the sandbox bank and
// reads it back.
func TestHICDBFromStandingOrder(t *testing.T) {
	so := kontor.StandingOrder{
		ID: "5ecd4d9bb9e14800012d99e9", FirstExecutionDate: tsd("2020-05-26"), LastExecutionDate: tsd("2021-05-26"),
		ExecutionDay: 2, Interval: kontor.IntervalMonthly, Amount: amt("200"), Currency: "EUR",
		Purpose: "Taschengeld " + strings.Repeat("sehr lang ", 20),
	}
	so.Purpose = strings.TrimSpace(so.Purpose)
	debtor := Party{Name: "Torben Mais", IBAN: "DE64100200007791587578", BIC: "FINODEB1XXX"}
	creditor := Party{Name: "Kind Mais", IBAN: "DE75512108001245126199"}
	for _, version := range []string{"", "pain.001.001.03", "pain.001.003.03", "pain.001.001.09"} {
		sched, xmlOut, err := HICDBFromStandingOrder(so, debtor, creditor, version, time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		if sched.Unit != "M" || sched.Turnus != 1 || sched.ExecutionDay != 2 {
			t.Errorf("schedule = %+v", sched)
		}
		if !strings.Contains(string(xmlOut), "<CtrlSum>200</CtrlSum>") {
			t.Errorf("%s: no control sum:\n%s", version, xmlOut)
		}
		if strings.Contains(string(xmlOut), "<BICFI>") != (version == "pain.001.001.09") {
			t.Errorf("%s: BIC element:\n%s", version, xmlOut)
		}
		got, p, err := StandingOrderFromHICDB(so.ID, sched, xmlOut)
		if err != nil {
			t.Fatalf("%s: %v\n%s", version, err, xmlOut)
		}
		if !reflect.DeepEqual(got, so) {
			t.Errorf("%s:\n got %+v\nwant %+v", version, got, so)
		}
		wantString(t, "creditor", p.Payments[0].Transfers[0].CreditorName, "Kind Mais")
		wantString(t, "debtor agent", p.Payments[0].DebtorBIC, "FINODEB1XXX")
	}
}

func TestPain001Errors(t *testing.T) {
	for _, c := range []struct {
		name, doc, field, msg string
	}{
		{"wrong message", "<Document><CstmrDrctDbtInitn/></Document>", "Document", "CstmrCdtTrfInitn"},
		{"bad amount", "<Document><CstmrCdtTrfInitn><PmtInf><CdtTrfTxInf><Amt><InstdAmt Ccy='EUR'>1,5</InstdAmt></Amt></CdtTrfTxInf></PmtInf></CstmrCdtTrfInitn></Document>", "PmtInf[1]/CdtTrfTxInf[1]/Amt/InstdAmt", "decimal point"},
		{"bad control sum", "<Document><CstmrCdtTrfInitn><GrpHdr><CtrlSum>x</CtrlSum></GrpHdr></CstmrCdtTrfInitn></Document>", "GrpHdr/CtrlSum", "decimal point"},
		{"bad date", "<Document><CstmrCdtTrfInitn><PmtInf><ReqdExctnDt>01.01.1999</ReqdExctnDt></PmtInf></CstmrCdtTrfInitn></Document>", "PmtInf[1]/ReqdExctnDt", "YYYY-MM-DD"},
	} {
		_, err := ParsePain001([]byte(c.doc))
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Errorf("%s: error %v is not a *ParseError", c.name, err)
			continue
		}
		if pe.Field != c.field || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: got %q (field %q)", c.name, err, pe.Field)
		}
	}
	_, _, err := StandingOrderFromHICDB("x", StandingOrderSchedule{Unit: "M", Turnus: 1},
		[]byte("<Document><CstmrCdtTrfInitn><PmtInf/></CstmrCdtTrfInitn></Document>"))
	if err == nil || !strings.Contains(err.Error(), "no credit transfer") {
		t.Errorf("empty pain.001: %v", err)
	}
}
