package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-zeromq/zmq4"

	"github.com/deepglass/deepglass/cmd/deepglass-kernel/internal/jupyter"
)

var binDir string // holds the kernel built for the tests; removed by TestMain

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// kernelBinary builds the kernel once per test run (the build is cached by go).
var kernelBinary = func() func(t *testing.T) string {
	var path string
	var err error
	var out []byte
	built := false
	return func(t *testing.T) string {
		t.Helper()
		if !built {
			built = true
			binDir, err = os.MkdirTemp("", "deepglass-kernel-test-")
			if err != nil {
				t.Fatal(err)
			}
			path = filepath.Join(binDir, "deepglass-kernel")
			out, err = exec.Command("go", "build", "-o", path, ".").CombinedOutput()
		}
		if err != nil {
			t.Fatalf("go build: %v\n%s", err, out)
		}
		return path
	}
}()

func TestInstall(t *testing.T) {
	bin := kernelBinary(t)
	prefix := t.TempDir()
	if out, err := exec.Command(bin, "install", "-prefix", prefix).CombinedOutput(); err != nil {
		t.Fatalf("install: %v\n%s", err, out)
	}
	checkSpec(t, filepath.Join(prefix, "kernels", "deepglass"))

	data := t.TempDir()
	cmd := exec.Command(bin, "install")
	cmd.Env = append(os.Environ(), "JUPYTER_DATA_DIR="+data)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("install with JUPYTER_DATA_DIR: %v\n%s", err, out)
	}
	checkSpec(t, filepath.Join(data, "kernels", "deepglass"))

	if err := exec.Command(bin, "install", "-prefix").Run(); err == nil {
		t.Error("install -prefix without a directory succeeded")
	}
}

func checkSpec(t *testing.T, dir string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "kernel.json"))
	if err != nil {
		t.Fatal(err)
	}
	var spec struct {
		Argv          []string `json:"argv"`
		Language      string   `json:"language"`
		InterruptMode string   `json:"interrupt_mode"`
	}
	if err := json.Unmarshal(b, &spec); err != nil {
		t.Fatal(err)
	}
	if len(spec.Argv) != 2 || spec.Argv[1] != "{connection_file}" || spec.Language != "go" {
		t.Fatalf("kernel.json = %s", b)
	}
	if fi, err := os.Stat(spec.Argv[0]); err != nil || fi.Mode()&0o111 == 0 || filepath.Dir(spec.Argv[0]) != dir {
		t.Errorf("argv[0] %s is not an executable in the kernel directory: %v", spec.Argv[0], err)
	}
}

func freePorts(t *testing.T, n int) []int {
	t.Helper()
	var ports []int
	for i := 0; i < n; i++ {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports
}

// startKernel runs the real kernel binary on a fresh connection file.
func startKernel(t *testing.T) (*exec.Cmd, *jupyter.Client, jupyter.ConnectionInfo) {
	t.Helper()
	bin := kernelBinary(t)
	p := freePorts(t, 5)
	conn := jupyter.ConnectionInfo{Transport: "tcp", IP: "127.0.0.1", ShellPort: p[0], ControlPort: p[1],
		IOPubPort: p[2], StdinPort: p[3], HBPort: p[4], Key: "9f8e7d6c-test-key", SignatureScheme: "hmac-sha256"}
	b, _ := json.Marshal(conn)
	file := filepath.Join(t.TempDir(), "connection.json")
	if err := os.WriteFile(file, b, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, file)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	c, err := jupyter.Dial(ctx, conn, 30*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return cmd, c, conn
}

// interruptUntilReply interrupts until the shell replies to req (at most 30 tries).
func interruptUntilReply(t *testing.T, c *jupyter.Client, req *jupyter.Message, interrupt func()) *jupyter.Message {
	t.Helper()
	for try := 0; try < 30; try++ {
		time.Sleep(300 * time.Millisecond)
		interrupt()
		r, err := c.Recv(c.Shell, time.Second)
		if err != nil {
			t.Fatal(err)
		}
		if r != nil {
			if r.ParentID() != req.Header.MsgID {
				t.Fatalf("reply to %s while waiting for %s", r.ParentID(), req.Header.MsgID)
			}
			return r
		}
	}
	t.Fatal("the cell was not interrupted")
	return nil
}

func status(t *testing.T, r *jupyter.Message) (string, string) {
	t.Helper()
	if r == nil {
		t.Fatal("no reply")
	}
	var c struct {
		Status string `json:"status"`
		Ename  string `json:"ename"`
	}
	json.Unmarshal(r.Content, &c)
	return c.Status, c.Ename
}

// TestKernelProcess drives the built kernel: it binds only to the connection file's
// address, drops unsigned and wrongly signed messages, stops a long cell on
// interrupt_request and on SIGINT and stays alive, and exits on shutdown_request.
func TestKernelProcess(t *testing.T) {
	cmd, c, conn := startKernel(t)

	// bound to 127.0.0.1 only: the shell port is closed on any other address
	if addrs, err := net.InterfaceAddrs(); err == nil {
		for _, a := range addrs {
			ip, ok := a.(*net.IPNet)
			if !ok || ip.IP.IsLoopback() || ip.IP.To4() == nil {
				continue
			}
			if nc, err := net.DialTimeout("tcp", net.JoinHostPort(ip.IP.String(), strconv.Itoa(conn.ShellPort)), time.Second); err == nil {
				nc.Close()
				t.Errorf("shell port reachable on %s", ip.IP)
			}
		}
	}

	// heartbeat: the REP socket echoes
	hb := zmq4.NewReq(context.Background())
	defer hb.Close()
	if err := hb.Dial(conn.Addr(conn.HBPort)); err != nil {
		t.Fatal(err)
	}
	if err := hb.Send(zmq4.NewMsgString("ping")); err != nil {
		t.Fatal(err)
	}
	if m, err := hb.Recv(); err != nil || string(m.Bytes()) != "ping" {
		t.Fatalf("heartbeat: %q %v", m.Bytes(), err)
	}

	forged := c.Request("execute_request", map[string]any{"code": "1"})
	if err := c.Send(c.Shell, forged, []byte("wrong key")); err != nil {
		t.Fatal(err)
	}
	unsigned := c.Request("execute_request", map[string]any{"code": "2"})
	frames, _ := jupyter.Encode(unsigned, c.Key)
	frames[1] = nil
	if err := c.SendFrames(c.Shell, frames); err != nil {
		t.Fatal(err)
	}
	r, err := c.Execute("40 + 2", 30*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := status(t, r); st != "ok" || !strings.Contains(string(r.Content), `"execution_count":1`) {
		t.Fatalf("first signed cell: %s (dropped messages must not count)", r.Content)
	}

	// interrupt_request on control; repeated, since an interrupt that arrives before the
	// cell starts running is (rightly) forgotten
	loop := c.Request("execute_request", map[string]any{"code": "n := 0\nfor { n++ }"})
	if err := c.Send(c.Shell, loop, c.Key); err != nil {
		t.Fatal(err)
	}
	r = interruptUntilReply(t, c, loop, func() {
		if err := c.Send(c.Control, c.Request("interrupt_request", map[string]any{}), c.Key); err != nil {
			t.Fatal(err)
		}
		if r, _ := c.Recv(c.Control, 10*time.Second); r == nil || r.Header.MsgType != "interrupt_reply" {
			t.Fatalf("interrupt_reply: %v", r)
		}
	})
	if st, ename := status(t, r); st != "error" || ename != "interrupted" {
		t.Fatalf("interrupted cell: %s", r.Content)
	}
	if r, _ := c.Execute("n > 0", 10*time.Second); r == nil {
		t.Fatal("kernel dead after interrupt_request")
	} else if st, _ := status(t, r); st != "ok" {
		t.Fatalf("after interrupt: %s", r.Content)
	}

	// SIGINT
	loop = c.Request("execute_request", map[string]any{"code": "for { n++ }"})
	c.Send(c.Shell, loop, c.Key)
	r = interruptUntilReply(t, c, loop, func() {
		if err := cmd.Process.Signal(os.Interrupt); err != nil {
			t.Fatal(err)
		}
	})
	if _, ename := status(t, r); ename != "interrupted" {
		t.Fatalf("after SIGINT: %s", r.Content)
	}
	if r, _ := c.Execute(`"alive"`, 10*time.Second); r == nil {
		t.Fatal("kernel dead after SIGINT")
	}

	// shutdown
	c.Send(c.Control, c.Request("shutdown_request", map[string]any{"restart": false}), c.Key)
	if r, _ := c.Recv(c.Control, 10*time.Second); r == nil || r.Header.MsgType != "shutdown_reply" {
		t.Fatalf("shutdown_reply: %v", r)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("kernel exit: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Error("kernel still running 10 s after shutdown_request")
	}
}

// checkExecuted reads an executed notebook: the error outputs (as "cell N: ename:
// evalue"), the number of image/png outputs, and the printed cell-speed measurements.
func checkExecuted(b []byte) (errs []string, pngs int, notes []string, err error) {
	var doc struct {
		Cells []struct {
			Outputs []struct {
				Type  string                     `json:"output_type"`
				Ename string                     `json:"ename"`
				Value string                     `json:"evalue"`
				Data  map[string]json.RawMessage `json:"data"`
				Text  json.RawMessage            `json:"text"`
			} `json:"outputs"`
		} `json:"cells"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, 0, nil, err
	}
	for i, c := range doc.Cells {
		for _, o := range c.Outputs {
			if o.Type == "error" {
				errs = append(errs, fmt.Sprintf("cell %d: %s: %s", i, o.Ename, o.Value))
			}
			if _, ok := o.Data["image/png"]; ok {
				pngs++
			}
			if text := multiline(o.Text); strings.Contains(text, "ns per spin flip") {
				notes = append(notes, strings.TrimSpace(text))
			}
		}
	}
	return errs, pngs, notes, nil
}

// TestCheckExecuted makes sure the notebook check can fail.
func TestCheckExecuted(t *testing.T) {
	nb := `{"cells": [
	 {"cell_type": "markdown", "source": ["x"]},
	 {"cell_type": "code", "outputs": [{"output_type": "stream", "name": "stdout", "text": ["from this cell: 20 ns per spin flip\n"]}]},
	 {"cell_type": "code", "outputs": [{"output_type": "error", "ename": "panic", "evalue": "boom", "traceback": []}]},
	 {"cell_type": "code", "outputs": [{"output_type": "display_data", "data": {"image/png": "iVBOR", "text/plain": "x"}}]}]}`
	errs, pngs, notes, err := checkExecuted([]byte(nb))
	if err != nil || len(errs) != 1 || errs[0] != "cell 2: panic: boom" || pngs != 1 || len(notes) != 1 {
		t.Errorf("checkExecuted = %q, %d, %q, %v", errs, pngs, notes, err)
	}
}

// multiline decodes a notebook string, stored as a string or a list of lines.
func multiline(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var lines []string
	json.Unmarshal(raw, &lines)
	return strings.Join(lines, "")
}

// TestNotebooks installs the kernel into a temporary prefix and executes every
// notebook of notebooks/ headless, as a user would: it fails on any error output and
// on a notebook without an inline PNG figure.
func TestNotebooks(t *testing.T) {
	if out, err := exec.Command("jupyter", "nbconvert", "--version").CombinedOutput(); err != nil {
		t.Skipf("jupyter nbconvert not available (%v: %s); .ci/run installs it (Debian jupyter-nbconvert, jupyter-client, python3-ipykernel, python3-nbclient)", err, strings.TrimSpace(string(out)))
	}
	nbs, err := filepath.Glob(filepath.Join("..", "..", "notebooks", "*.ipynb"))
	if err != nil || len(nbs) == 0 {
		t.Fatalf("no notebooks: %v", err)
	}
	bin := kernelBinary(t)
	prefix, out := t.TempDir(), t.TempDir()
	if b, err := exec.Command(bin, "install", "-prefix", prefix).CombinedOutput(); err != nil {
		t.Fatalf("install: %v\n%s", err, b)
	}
	args := append([]string{"nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.kernel_name=deepglass",
		"--ExecutePreprocessor.timeout=600", "--output-dir", out}, nbs...)
	cmd := exec.Command("jupyter", args...)
	cmd.Env = append(os.Environ(), "JUPYTER_PATH="+prefix)
	start := time.Now()
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("jupyter nbconvert: %v\n%s", err, b)
	}
	t.Logf("executed %d notebooks in %.0f s", len(nbs), time.Since(start).Seconds())
	for _, nb := range nbs {
		b, err := os.ReadFile(filepath.Join(out, filepath.Base(nb)))
		if err != nil {
			t.Fatal(err)
		}
		errs, pngs, notes, err := checkExecuted(b)
		if err != nil {
			t.Fatalf("%s: %v", nb, err)
		}
		for _, e := range errs {
			t.Errorf("%s: %s", nb, e)
		}
		if pngs == 0 {
			t.Errorf("%s: no inline PNG figure", nb)
		}
		t.Logf("%s: %d PNG figures", filepath.Base(nb), pngs)
		for _, n := range notes {
			t.Logf("%s: %s", filepath.Base(nb), n) // the speed measurement of a cell
		}
	}
}
