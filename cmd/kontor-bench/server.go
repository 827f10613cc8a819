package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// kontorPackage is the import path of the server binary.
const kontorPackage = "github.com/kontor-dev/kontor/cmd/kontor"

// profilerSource is added to the server's main package, only when -pprof
// is given, through the go command's -overlay: it serves /start and /stop
// on a loopback port of its own (written to the file named by
// KONTOR_BENCH_PROFILER) so that the benchmark can profile exactly its
// measured phases. Kontor's own handlers and sources are untouched.
const profilerSource = `package main

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"runtime"
	"runtime/pprof"
	"sync"
)

func init() {
	addrFile := os.Getenv("KONTOR_BENCH_PROFILER")
	if addrFile == "" {
		return
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	var (
		mu  sync.Mutex
		cpu *os.File
	)
	mux := http.NewServeMux()
	mux.HandleFunc("POST /start", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		f, err := os.Create(r.FormValue("cpu"))
		if err == nil {
			if err = pprof.StartCPUProfile(f); err != nil {
				f.Close()
			}
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		cpu = f
	})
	mux.HandleFunc("POST /stop", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if cpu != nil {
			pprof.StopCPUProfile()
			cpu.Close()
			cpu = nil
		}
		if name := r.FormValue("allocs"); name != "" {
			runtime.GC()
			f, err := os.Create(name)
			if err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			defer f.Close()
			pprof.Lookup("allocs").WriteTo(f, 0)
		}
	})
	if err := os.WriteFile(addrFile, []byte(ln.Addr().String()), 0o600); err != nil {
		panic(fmt.Sprintf("writing profiler address: %v", err))
	}
	go http.Serve(ln, mux)
}
`

// buildKontor builds the server binary into dir. With profiler set, the
// binary carries the profiling hook of profilerSource.
func buildKontor(ctx context.Context, dir string, profiler bool) (string, error) {
	bin := filepath.Join(dir, "kontor")
	args := []string{"build", "-o", bin}
	if profiler {
		out, err := exec.CommandContext(ctx, "go", "list", "-f", "{{.Dir}}", kontorPackage).Output()
		if err != nil {
			return "", fmt.Errorf("locating %s: %w", kontorPackage, err)
		}
		src := filepath.Join(dir, "profiler.go")
		if err := os.WriteFile(src, []byte(profilerSource), 0o644); err != nil {
			return "", fmt.Errorf("writing profiler source: %w", err)
		}
		overlay, err := json.Marshal(map[string]map[string]string{"Replace": {
			filepath.Join(strings.TrimSpace(string(out)), "zz_bench_profiler.go"): src,
		}})
		if err != nil {
			return "", fmt.Errorf("encoding overlay: %w", err)
		}
		overlayFile := filepath.Join(dir, "overlay.json")
		if err := os.WriteFile(overlayFile, overlay, 0o644); err != nil {
			return "", fmt.Errorf("writing overlay: %w", err)
		}
		args = append(args, "-overlay", overlayFile)
	}
	cmd := exec.CommandContext(ctx, "go", append(args, kontorPackage)...)
	cmd.Env = os.Environ()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("building kontor: %w\n%s", err, stderr.Bytes())
	}
	return bin, nil
}

// server is a running kontor process.
type server struct {
	cmd          *exec.Cmd
	dir          string
	base         string // http://127.0.0.1:port
	demoName     string
	demoSecret   string
	profilerAddr string
	exited       chan struct{}
	waitErr      error
}

// serverOptions is how a server is started.
type serverOptions struct {
	bin, dbURL, dir string
	maxUpload       int64
	gomaxprocs      int
	profiler        bool
}

var demoRE = regexp.MustCompile(`name:\s+(\S+)\s+secret:\s+(\S+)`)

// startServer starts "kontor serve" on a loopback port and waits until it
// serves. The demo client it creates on the empty database has a rate
// limit high enough not to throttle the benchmark.
func startServer(ctx context.Context, o serverOptions) (*server, error) {
	if err := os.MkdirAll(o.dir, 0o755); err != nil {
		return nil, fmt.Errorf("creating server directory: %w", err)
	}
	stdout, err := os.Create(filepath.Join(o.dir, "stdout.log"))
	if err != nil {
		return nil, fmt.Errorf("creating server log: %w", err)
	}
	defer stdout.Close()
	stderr, err := os.Create(filepath.Join(o.dir, "stderr.log"))
	if err != nil {
		return nil, fmt.Errorf("creating server log: %w", err)
	}
	defer stderr.Close()

	env := []string{}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "KONTOR_") && !strings.HasPrefix(kv, "GOMAXPROCS=") {
			env = append(env, kv)
		}
	}
	const unlimited = "1000000"
	env = append(env,
		"KONTOR_DATABASE_URL="+o.dbURL,
		"KONTOR_ADDR=127.0.0.1:0",
		"KONTOR_LOG_FORMAT=json",
		"KONTOR_RATE_LIMIT="+unlimited, "KONTOR_RATE_BURST="+unlimited,
		"KONTOR_AUTH_RATE_LIMIT="+unlimited, "KONTOR_AUTH_RATE_BURST="+unlimited,
		"KONTOR_MAX_UPLOAD_BYTES="+strconv.FormatInt(max(o.maxUpload, 256<<20), 10),
	)
	if o.gomaxprocs > 0 {
		env = append(env, "GOMAXPROCS="+strconv.Itoa(o.gomaxprocs))
	}
	profilerFile := filepath.Join(o.dir, "profiler.addr")
	if o.profiler {
		env = append(env, "KONTOR_BENCH_PROFILER="+profilerFile)
	}
	cmd := exec.Command(o.bin, "serve")
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = stdout, stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting kontor: %w", err)
	}
	s := &server{cmd: cmd, dir: o.dir, exited: make(chan struct{})}
	go func() {
		s.waitErr = cmd.Wait()
		close(s.exited)
	}()

	deadline := time.Now().Add(2 * time.Minute)
	for s.base == "" {
		select {
		case <-s.exited:
			return nil, fmt.Errorf("kontor exited before serving (%v):\n%s", s.waitErr, tail(filepath.Join(o.dir, "stderr.log")))
		case <-ctx.Done():
			s.stop()
			return nil, ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			s.stop()
			return nil, fmt.Errorf("kontor did not start serving within 2 minutes:\n%s", tail(filepath.Join(o.dir, "stderr.log")))
		}
		if addr := servingAddr(filepath.Join(o.dir, "stderr.log")); addr != "" {
			s.base = "http://" + addr
		}
	}
	out, err := os.ReadFile(filepath.Join(o.dir, "stdout.log"))
	if err != nil {
		s.stop()
		return nil, fmt.Errorf("reading server output: %w", err)
	}
	if m := demoRE.FindSubmatch(out); m != nil { // only on an empty database
		s.demoName, s.demoSecret = string(m[1]), string(m[2])
	}
	if o.profiler {
		addr, err := os.ReadFile(profilerFile)
		if err != nil {
			s.stop()
			return nil, fmt.Errorf("reading profiler address: %w", err)
		}
		s.profilerAddr = string(addr)
	}
	return s, nil
}

// servingAddr returns the address in the server's "kontor serving" log
// line, or "" while there is none.
func servingAddr(logFile string) string {
	f, err := os.Open(logFile)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		var line struct {
			Msg  string `json:"msg"`
			Addr string `json:"addr"`
		}
		if json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == "kontor serving" && line.Addr != "" {
			return line.Addr
		}
	}
	return ""
}

// tail returns the last lines of a log file, for error messages.
func tail(name string) string {
	b, _ := os.ReadFile(name)
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return strings.Join(lines[max(0, len(lines)-20):], "\n")
}

// stop sends SIGTERM, lets the server drain, and kills it if it does not
// stop within 30 seconds.
func (s *server) stop() error {
	if s == nil || s.cmd.Process == nil {
		return nil
	}
	select {
	case <-s.exited:
		return nil
	default:
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
		var exit *exec.ExitError
		if s.waitErr != nil && !errors.As(s.waitErr, &exit) {
			return fmt.Errorf("stopping kontor: %w", s.waitErr)
		}
		return nil
	case <-time.After(30 * time.Second):
		s.cmd.Process.Kill()
		<-s.exited
		return errors.New("kontor did not stop within 30 s of SIGTERM; killed")
	}
}

// procStatus returns a field of /proc/PID/status in bytes (VmHWM, VmRSS).
func (s *server) procStatus(field string) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0, fmt.Errorf("reading process status: %w", err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			if err != nil {
				return 0, fmt.Errorf("parsing %s: %w", field, err)
			}
			return kb << 10, nil
		}
	}
	return 0, fmt.Errorf("no %s in /proc/%d/status", field, s.cmd.Process.Pid)
}

// resetPeakRSS sets the server's peak resident set size (VmHWM) to its
// current one, so that the next reading shows the peak of what follows.
func (s *server) resetPeakRSS() error {
	err := os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", s.cmd.Process.Pid), []byte("5"), 0)
	if err != nil {
		return fmt.Errorf("resetting peak RSS: %w", err)
	}
	return nil
}

// startProfile starts a CPU profile of the server into file (a no-op
// without the profiler).
func (s *server) startProfile(ctx context.Context, file string) error {
	if s.profilerAddr == "" {
		return nil
	}
	return s.profilerCall(ctx, "start", url.Values{"cpu": {file}})
}

// stopProfile ends the CPU profile and writes the allocation profile to
// allocsFile.
func (s *server) stopProfile(ctx context.Context, allocsFile string) error {
	if s.profilerAddr == "" {
		return nil
	}
	return s.profilerCall(ctx, "stop", url.Values{"allocs": {allocsFile}})
}

func (s *server) profilerCall(ctx context.Context, op string, form url.Values) error {
	req, err := http.NewRequestWithContext(ctx, "POST", "http://"+s.profilerAddr+"/"+op, strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("profiler %s: %w", op, err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		var b bytes.Buffer
		b.ReadFrom(res.Body)
		return fmt.Errorf("profiler %s: %s %s", op, res.Status, b.Bytes())
	}
	return nil
}
