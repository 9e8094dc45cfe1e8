package jupyter

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/go-zeromq/zmq4"
)

// fakeEval echoes code; "block" waits for Interrupt; "fail" returns an error.
type fakeEval struct {
	interrupted chan struct{}
}

func (f *fakeEval) Execute(code string, out Output) (*Bundle, error) {
	switch code {
	case "block":
		select {
		case <-f.interrupted:
			return nil, &EvalError{Name: "interrupted", Value: "cell interrupted"}
		case <-time.After(20 * time.Second):
			return nil, errors.New("not interrupted")
		}
	case "fail":
		return nil, &EvalError{Name: "runtime error", Value: "boom", Traceback: []string{"boom at line 1"}}
	case "show":
		out.Display(Bundle{Data: map[string]any{"text/plain": "shown"}})
		return nil, nil
	}
	return &Bundle{Data: map[string]any{"text/plain": "echo " + code}}, nil
}
func (f *fakeEval) IsComplete(code string) (string, string) {
	if strings.HasSuffix(code, "{") {
		return "incomplete", "    "
	}
	return "complete", ""
}
func (f *fakeEval) Complete(code string, cursor int) ([]string, int, int) {
	return []string{"Println"}, cursor - 2, cursor
}
func (f *fakeEval) Interrupt() {
	select {
	case f.interrupted <- struct{}{}:
	default:
	}
}

func freePorts(t *testing.T, n int) []int {
	t.Helper()
	var ports []int
	var ls []net.Listener
	for i := 0; i < n; i++ {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	for _, l := range ls {
		l.Close()
	}
	return ports
}

type client struct {
	*Client
	t   *testing.T
	key []byte
}

func startKernel(t *testing.T) (*client, *fakeEval) {
	t.Helper()
	p := freePorts(t, 5)
	conn := ConnectionInfo{Transport: "tcp", IP: "127.0.0.1", ShellPort: p[0], ControlPort: p[1], IOPubPort: p[2],
		StdinPort: p[3], HBPort: p[4], Key: "a0436f6c-1916-498b-8eb9-e81ab9368e84", SignatureScheme: "hmac-sha256"}
	ev := &fakeEval{interrupted: make(chan struct{}, 1)}
	k := New(conn, ev, Info{Implementation: "test"})
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- k.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		<-errc
	})
	cl, err := Dial(ctx, conn, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Close)
	return &client{Client: cl, t: t, key: cl.Key}, ev
}

func (c *client) request(typ string, content any) *Message { return c.Request(typ, content) }

func (c *client) sendFrames(sock zmq4.Socket, frames [][]byte) {
	if err := c.SendFrames(sock, frames); err != nil {
		c.t.Fatalf("send: %v", err)
	}
}

func (c *client) send(sock zmq4.Socket, m *Message, key []byte) {
	if err := c.Send(sock, m, key); err != nil {
		c.t.Fatalf("send: %v", err)
	}
}

// recv returns the next message of sock, or nil after timeout.
func (c *client) recv(sock zmq4.Socket, timeout time.Duration) *Message {
	m, err := c.Recv(sock, timeout)
	if err != nil {
		c.t.Fatalf("kernel sent a message that does not verify: %v", err)
	}
	return m
}

func parentID(t *testing.T, m *Message) string { return m.ParentID() }

// iopubUntilIdle collects iopub messages with the given parent until status idle.
func (c *client) iopubUntilIdle(parent string) []*Message {
	var out []*Message
	for {
		m := c.recv(c.IOPub, 10*time.Second)
		if m == nil {
			c.t.Fatalf("no idle status for %s; got %d messages", parent, len(out))
		}
		if parentID(c.t, m) != parent {
			continue
		}
		out = append(out, m)
		var st struct {
			State string `json:"execution_state"`
		}
		json.Unmarshal(m.Content, &st)
		if m.Header.MsgType == "status" && st.State == "idle" {
			return out
		}
	}
}

func TestSignatureVerification(t *testing.T) {
	c, _ := startKernel(t)

	// Unsigned: a valid message with an empty signature frame.
	unsigned := c.request("kernel_info_request", map[string]any{})
	frames, _ := Encode(unsigned, c.key)
	frames[1] = []byte{}
	c.sendFrames(c.Shell, frames)
	// Signed with the wrong key.
	forged := c.request("kernel_info_request", map[string]any{})
	c.send(c.Shell, forged, []byte("not-the-key"))
	// Signed correctly but tampered after signing.
	tampered := c.request("kernel_info_request", map[string]any{})
	frames, _ = Encode(tampered, c.key)
	frames[len(frames)-1] = []byte(`{"evil":true}`)
	c.sendFrames(c.Shell, frames)
	// Signed with the right key: the only one to be answered.
	good := c.request("kernel_info_request", map[string]any{})
	c.send(c.Shell, good, c.key)

	r := c.recv(c.Shell, 10*time.Second)
	if r == nil {
		t.Fatal("no reply to the signed kernel_info_request")
	}
	if r.Header.MsgType != "kernel_info_reply" || parentID(t, r) != good.Header.MsgID {
		t.Fatalf("reply %s to %s; want kernel_info_reply to %s", r.Header.MsgType, parentID(t, r), good.Header.MsgID)
	}
	var info struct {
		ProtocolVersion string `json:"protocol_version"`
		Language        struct {
			Name string `json:"name"`
		} `json:"language_info"`
	}
	json.Unmarshal(r.Content, &info)
	if info.ProtocolVersion != ProtocolVersion || info.Language.Name != "go" {
		t.Errorf("kernel_info_reply = %s", r.Content)
	}
	if extra := c.recv(c.Shell, 500*time.Millisecond); extra != nil {
		t.Fatalf("kernel answered a message it should have dropped: %s to %s", extra.Header.MsgType, parentID(t, extra))
	}
}

func TestDecodeRejects(t *testing.T) {
	key := []byte("k")
	m := &Message{Header: NewHeader("x", "s"), Content: json.RawMessage(`{"a":1}`)}
	frames, _ := Encode(m, key)
	if _, err := Decode(frames, key); err != nil {
		t.Fatalf("valid message: %v", err)
	}
	if _, err := Decode(frames, []byte("other")); !errors.Is(err, ErrBadSignature) {
		t.Errorf("wrong key: err = %v; want ErrBadSignature", err)
	}
	frames[1] = nil
	if _, err := Decode(frames, key); !errors.Is(err, ErrUnsigned) {
		t.Errorf("unsigned: err = %v; want ErrUnsigned", err)
	}
	if _, err := Decode(frames[:3], key); !errors.Is(err, ErrMalformed) {
		t.Errorf("short: err = %v; want ErrMalformed", err)
	}
}

func TestExecuteFlow(t *testing.T) {
	c, _ := startKernel(t)
	for i, tc := range []struct {
		code, status string
		iopub        []string
	}{
		{"1+1", "ok", []string{"status", "execute_input", "execute_result", "status"}},
		{"fail", "error", []string{"status", "execute_input", "error", "status"}},
		{"show", "ok", []string{"status", "execute_input", "display_data", "status"}},
	} {
		req := c.request("execute_request", map[string]any{"code": tc.code, "silent": false})
		c.send(c.Shell, req, c.key)
		r := c.recv(c.Shell, 10*time.Second)
		if r == nil || r.Header.MsgType != "execute_reply" {
			t.Fatalf("%s: no execute_reply", tc.code)
		}
		var rep struct {
			Status string `json:"status"`
			Count  int    `json:"execution_count"`
			Ename  string `json:"ename"`
		}
		json.Unmarshal(r.Content, &rep)
		if rep.Status != tc.status || rep.Count != i+1 {
			t.Errorf("%s: reply %s", tc.code, r.Content)
		}
		msgs := c.iopubUntilIdle(req.Header.MsgID)
		var types []string
		for _, m := range msgs {
			types = append(types, m.Header.MsgType)
		}
		if strings.Join(types, ",") != strings.Join(tc.iopub, ",") {
			t.Errorf("%s: iopub %v; want %v", tc.code, types, tc.iopub)
		}
		if tc.code == "1+1" {
			var res struct {
				Data map[string]string `json:"data"`
			}
			json.Unmarshal(msgs[2].Content, &res)
			if res.Data["text/plain"] != "echo 1+1" {
				t.Errorf("execute_result %s", msgs[2].Content)
			}
		}
	}
	for _, tc := range []struct{ code, want string }{{"func f() {", "incomplete"}, {"x := 1", "complete"}} {
		req := c.request("is_complete_request", map[string]any{"code": tc.code})
		c.send(c.Shell, req, c.key)
		r := c.recv(c.Shell, 10*time.Second)
		if r == nil || !strings.Contains(string(r.Content), `"status":"`+tc.want+`"`) {
			t.Errorf("is_complete %q: %v", tc.code, r)
		}
	}
	req := c.request("complete_request", map[string]any{"code": "fmt.Pr", "cursor_pos": 6})
	c.send(c.Shell, req, c.key)
	r := c.recv(c.Shell, 10*time.Second)
	if r == nil || !strings.Contains(string(r.Content), `"cursor_start":4`) {
		t.Errorf("complete_reply %v", r)
	}
}

func TestInterruptAndShutdown(t *testing.T) {
	c, _ := startKernel(t)
	req := c.request("execute_request", map[string]any{"code": "block"})
	c.send(c.Shell, req, c.key)
	time.Sleep(200 * time.Millisecond)
	c.send(c.Control, c.request("interrupt_request", map[string]any{}), c.key)
	if r := c.recv(c.Control, 10*time.Second); r == nil || r.Header.MsgType != "interrupt_reply" {
		t.Fatalf("no interrupt_reply: %v", r)
	}
	r := c.recv(c.Shell, 10*time.Second)
	if r == nil || !strings.Contains(string(r.Content), `"ename":"interrupted"`) {
		t.Fatalf("blocked cell not interrupted: %v", r)
	}
	// alive after
	c.send(c.Shell, c.request("execute_request", map[string]any{"code": "2"}), c.key)
	if r := c.recv(c.Shell, 10*time.Second); r == nil || !strings.Contains(string(r.Content), `"status":"ok"`) {
		t.Fatalf("kernel not alive after interrupt: %v", r)
	}
	c.send(c.Control, c.request("shutdown_request", map[string]any{"restart": false}), c.key)
	if r := c.recv(c.Control, 10*time.Second); r == nil || r.Header.MsgType != "shutdown_reply" {
		t.Fatalf("no shutdown_reply: %v", r)
	}
}

func TestConnectionFileValidation(t *testing.T) {
	good := ConnectionInfo{Transport: "tcp", IP: "127.0.0.1", ShellPort: 1, ControlPort: 2, IOPubPort: 3, StdinPort: 4, HBPort: 5, Key: "k", SignatureScheme: "hmac-sha256"}
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	if a := good.Addr(7); a != "tcp://127.0.0.1:7" {
		t.Errorf("Addr = %s", a)
	}
	for name, mut := range map[string]func(*ConnectionInfo){
		"empty key":  func(c *ConnectionInfo) { c.Key = "" },
		"md5 scheme": func(c *ConnectionInfo) { c.SignatureScheme = "hmac-md5" },
		"udp":        func(c *ConnectionInfo) { c.Transport = "udp" },
		"bad port":   func(c *ConnectionInfo) { c.HBPort = 70000 },
		"missing ip": func(c *ConnectionInfo) { c.IP = "" },
	} {
		c := good
		mut(&c)
		if err := c.Validate(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
