package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/kontor-dev/kontor/internal/testdb"
)

var (
	buildOnce sync.Once
	binary    string
	buildErr  error
)

// kontorBinary builds the real binary once per test run.
func kontorBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "kontor-bin")
		if err != nil {
			buildErr = err
			return
		}
		binary = filepath.Join(dir, "kontor")
		out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binary
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// process is a running "kontor serve".
type process struct {
	cmd    *exec.Cmd
	stdout *bytes.Buffer
	stderr *syncBuffer
	addr   string
	exited chan error
}

func startProcess(t *testing.T, db string) *process {
	t.Helper()
	p := &process{stdout: &bytes.Buffer{}, stderr: &syncBuffer{}, addr: freeAddr(t), exited: make(chan error, 1)}
	p.cmd = exec.Command(kontorBinary(t), "serve", "--db", db)
	p.cmd.Env = append(os.Environ(), "KONTOR_ADDR="+p.addr)
	p.cmd.Stderr = p.stderr
	out, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.cmd.Process.Kill(); <-p.exited })
	go func() {
		io.Copy(p.stdout, bufio.NewReader(out))
		p.exited <- p.cmd.Wait()
	}()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if res, err := http.Get("http://" + p.addr + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return p
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("kontor did not become ready: %s", p.stderr.String())
	return nil
}

// TestServeGracefulShutdown sends SIGTERM while a large Set Logins request
// is still being uploaded: the server finishes it, answers 204, and exits
// with status 0; the data is there after a restart.
func TestServeGracefulShutdown(t *testing.T) {
	db := testdb.SQLite(t)
	p := startProcess(t, db)
	m := demoRE.FindStringSubmatch(p.stdout.String())
	if m == nil {
		// stdout is copied asynchronously; the line precedes readiness.
		time.Sleep(100 * time.Millisecond)
		m = demoRE.FindStringSubmatch(p.stdout.String())
	}
	if m == nil {
		t.Fatalf("serve printed no demo credentials: %q", p.stdout.String())
	}
	s := &testServer{t: t, base: "http://" + p.addr, client: &http.Client{Timeout: time.Minute}, demoName: m[1], demoSecret: m[2]}
	token := s.demoToken()
	user := s.createUser(token, "company")

	body := uploadBody(5000)
	pr, pw := io.Pipe()
	done := make(chan *response, 1)
	go func() { done <- s.do("POST", "/api/v1/users/"+user+"/banking/logins", pr, "Authorization", token) }()
	half := len(body) / 2
	if _, err := pw.Write(body[:half]); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond) // the request is in flight
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond)
	if _, err := pw.Write(body[half:]); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	res := <-done
	wantStatus(t, res, http.StatusNoContent)
	select {
	case err := <-p.exited:
		p.exited <- err
		if err != nil {
			t.Fatalf("kontor exited with %v; log:\n%s", err, p.stderr.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("kontor did not exit after SIGTERM")
	}
	if !strings.Contains(p.stderr.String(), "draining") {
		t.Errorf("shutdown was not logged:\n%s", p.stderr.String())
	}

	p2 := startProcess(t, db)
	if strings.Contains(p2.stdout.String(), "secret") {
		t.Fatal("a restart printed demo credentials again")
	}
	s.base = "http://" + p2.addr
	token = s.demoToken()
	got := s.do("GET", "/api/v1/users/"+user+"/banking/logins", nil, "Authorization", token)
	wantStatus(t, got, http.StatusOK)
	if n := bytes.Count(got.Body, []byte(`"purpose":"Rechnung`)); n != 5000 {
		t.Fatalf("after restart %d of 5000 transactions are stored", n)
	}
}

// TestServeCrashLosesNothing kills the server with SIGKILL while it stores
// a large upload. After a restart the user's data is either the old or the
// new upload, whole: never a part.
func TestServeCrashLosesNothing(t *testing.T) {
	db := testdb.SQLite(t)
	p := startProcess(t, db)
	time.Sleep(100 * time.Millisecond)
	m := demoRE.FindStringSubmatch(p.stdout.String())
	if m == nil {
		t.Fatalf("no demo credentials: %q", p.stdout.String())
	}
	s := &testServer{t: t, base: "http://" + p.addr, client: &http.Client{Timeout: time.Minute}, demoName: m[1], demoSecret: m[2]}
	token := s.demoToken()
	user := s.createUser(token, "person")
	wantStatus(t, s.do("POST", "/api/v1/users/"+user+"/banking/logins", uploadBody(100), "Authorization", token), http.StatusNoContent)

	go func() {
		req, _ := http.NewRequest("POST", s.base+"/api/v1/users/"+user+"/banking/logins", bytes.NewReader(uploadBody(60000)))
		req.Header.Set("Authorization", token)
		if res, err := http.DefaultClient.Do(req); err == nil {
			res.Body.Close()
		}
	}()
	time.Sleep(600 * time.Millisecond)
	p.cmd.Process.Kill()
	<-p.exited
	p.exited <- nil

	p2 := startProcess(t, db)
	s.base = "http://" + p2.addr
	got := s.do("GET", "/api/v1/users/"+user+"/banking/logins", nil, "Authorization", s.demoToken())
	wantStatus(t, got, http.StatusOK)
	if n := bytes.Count(got.Body, []byte(`"purpose":"Rechnung`)); n != 100 && n != 60000 {
		t.Fatalf("after a crash %d transactions are stored, want 100 (old) or 60000 (new)", n)
	}
}

// uploadBody returns a Set Logins body with n transactions.
func uploadBody(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"logins":[{"id":"L1","bank":{"name":"fino Bank","bic":"SUBSDE71","bankCode":"70199901"},"accounts":[{"id":"A1","iban":"DE64100200007791587578","type":"GIRO","currency":"EUR","balance":2004.41,"transactions":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":"T%d","amount":-%d.%02d,"currency":"EUR","booked":true,"bookingDate":"2024-01-02T00:00:00Z","valueDate":"2024-01-02T00:00:00Z","purpose":"Rechnung %d","mref":"M%d","counterPart":{"name":"Lieferant GmbH","iban":"DE83701999010000002000","bic":"GENODEF1S04","creditorId":"DE97ZZZ12345678901"},"codes":[{"type":"transactionCode","value":"105"}],"tags":[]}`, i, i%1000, i%100, i, i)
	}
	b.WriteString(`]}]}]}`)
	return b.Bytes()
}

// TestClientCreate runs "kontor client create" and authenticates with what
// it prints.
func TestClientCreate(t *testing.T) {
	db := testdb.SQLite(t)
	ctx := context.Background()
	var out, errOut bytes.Buffer
	if err := run(ctx, []string{"client", "create", "--name", "acme", "--db", db}, os.Getenv, &out, &errOut); err != nil {
		t.Fatalf("client create: %v %s", err, errOut.String())
	}
	var created map[string]string
	if err := json.Unmarshal(out.Bytes(), &created); err != nil || created["name"] != "acme" || len(created["secret"]) != 36 || len(created) != 2 {
		t.Fatalf("client create printed %q, want {\"name\":\"acme\",\"secret\":<uuid>}", out.String())
	}
	out.Reset()
	if err := run(ctx, []string{"client", "create", "--name", "fixed", "--secret", "my-own-secret-0123456789", "--db", db}, os.Getenv, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `"secret":"my-own-secret-0123456789"`) {
		t.Fatalf("given secret not kept: %s", out.String())
	}
	if err := run(ctx, []string{"client", "create", "--name", "acme", "--db", db}, os.Getenv, io.Discard, io.Discard); err == nil {
		t.Fatal("a second client named acme was created")
	}
	if err := run(ctx, []string{"client", "create", "--name", "short", "--secret", "tooshort", "--db", db}, os.Getenv, io.Discard, io.Discard); err == nil {
		t.Fatal("a client with an 8-character secret was created")
	}

	s := startServer(t, db)
	if s.demoSecret != "" {
		t.Fatal("a demo client was created on a database that has clients")
	}
	s.tokens("acme", created["secret"])
	s.tokens("fixed", "my-own-secret-0123456789")
}

func TestVersionAndUsage(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"version"}, os.Getenv, &out, io.Discard); err != nil || !strings.HasPrefix(out.String(), "kontor ") {
		t.Fatalf("version printed %q, %v", out.String(), err)
	}
	if err := run(context.Background(), []string{"frobnicate"}, os.Getenv, io.Discard, io.Discard); err == nil {
		t.Fatal("unknown command succeeded")
	}
	if err := run(context.Background(), []string{"serve", "--addr"}, os.Getenv, io.Discard, io.Discard); err == nil {
		t.Fatal("serve with a dangling flag succeeded")
	}
	for name, bad := range map[string]string{"KONTOR_ACCESS_TOKEN_TTL": "soon", "KONTOR_HEAP_FLOOR_BYTES": "-1"} {
		env := func(k string) string {
			if k == name {
				return bad
			}
			return ""
		}
		if err := run(context.Background(), []string{"serve"}, env, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("bad %s %q: %v", name, bad, err)
		}
	}
	cfg, err := loadServeConfig(nil, func(k string) string { return map[string]string{"KONTOR_HEAP_FLOOR_BYTES": "0"}[k] }, io.Discard)
	if err != nil || cfg.HeapFloor != 0 {
		t.Errorf("KONTOR_HEAP_FLOOR_BYTES=0: floor %d, %v; want 0 (off)", cfg.HeapFloor, err)
	}
}
