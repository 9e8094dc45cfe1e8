package jupyter

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"sync"
	"time"

	"github.com/go-zeromq/zmq4"
)

// Bundle is a MIME bundle: the data of an execute_result or display_data message.
type Bundle struct {
	Data     map[string]any `json:"data"`
	Metadata map[string]any `json:"metadata"`
}

// EvalError is an error raised by the evaluated code, sent as an error message.
type EvalError struct {
	Name, Value string
	Traceback   []string
}

func (e *EvalError) Error() string { return e.Name + ": " + e.Value }

// Output is what a running cell can publish besides its result.
type Output interface {
	Display(b Bundle)
}

// Evaluator is the language of the kernel.
type Evaluator interface {
	// Execute runs a cell; a nil bundle means no result. A non-nil error is reported
	// as an error message (an *EvalError gives its name and traceback).
	Execute(code string, out Output) (*Bundle, error)
	// IsComplete returns "complete", "incomplete", "invalid" or "unknown" and, when
	// incomplete, the indentation of the next line.
	IsComplete(code string) (status, indent string)
	// Complete returns the candidates replacing code[start:end] (byte offsets) for a
	// cursor at byte offset cursor.
	Complete(code string, cursor int) (matches []string, start, end int)
	// Interrupt stops the running cell, if any; it is called from another goroutine.
	Interrupt()
}

// Info describes the kernel in kernel_info_reply.
type Info struct {
	Implementation, ImplementationVersion, Banner string
	LanguageVersion                               string
}

// Kernel serves one connection file.
type Kernel struct {
	conn ConnectionInfo
	key  []byte
	eval Evaluator
	info Info
	// Log receives dropped messages and protocol errors (stderr by default).
	Log *log.Logger

	shell, control, stdin, iopub, hb zmq4.Socket
	shellMu, controlMu, iopubMu      sync.Mutex

	mu      sync.Mutex
	parent  *Message // request being served on shell: parent of stream messages
	count   int
	session string

	captures []*capture

	done     chan struct{}
	doneOnce sync.Once
}

// New returns a kernel for a validated connection.
func New(conn ConnectionInfo, eval Evaluator, info Info) *Kernel {
	return &Kernel{
		conn: conn, key: []byte(conn.Key), eval: eval, info: info,
		Log:     log.New(os.Stderr, "deepglass-kernel: ", log.LstdFlags),
		session: newID(),
		done:    make(chan struct{}),
	}
}

// Run binds the sockets and serves until a shutdown_request or ctx ends.
func (k *Kernel) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	k.shell = zmq4.NewRouter(ctx)
	k.control = zmq4.NewRouter(ctx)
	k.stdin = zmq4.NewRouter(ctx)
	k.iopub = zmq4.NewPub(ctx)
	k.hb = zmq4.NewRep(ctx)
	socks := []struct {
		s    zmq4.Socket
		port int
		name string
	}{{k.shell, k.conn.ShellPort, "shell"}, {k.control, k.conn.ControlPort, "control"},
		{k.stdin, k.conn.StdinPort, "stdin"}, {k.iopub, k.conn.IOPubPort, "iopub"}, {k.hb, k.conn.HBPort, "heartbeat"}}
	for _, s := range socks {
		defer s.s.Close()
		if err := s.s.Listen(k.conn.Addr(s.port)); err != nil {
			return fmt.Errorf("bind %s socket on %s: %w", s.name, k.conn.Addr(s.port), err)
		}
	}
	k.publish(nil, "status", map[string]any{"execution_state": "starting"})
	go k.heartbeat()
	go k.serve(k.control, &k.controlMu, "control")
	go k.serve(k.shell, &k.shellMu, "shell")
	select {
	case <-k.done:
		time.Sleep(100 * time.Millisecond) // let the shutdown reply leave
	case <-ctx.Done():
	}
	return nil
}

// Interrupt stops the running cell (also used for SIGINT).
func (k *Kernel) Interrupt() { k.eval.Interrupt() }

func (k *Kernel) heartbeat() {
	for {
		msg, err := k.hb.Recv()
		if err != nil {
			return
		}
		if err := k.hb.Send(msg); err != nil {
			return
		}
	}
}

func (k *Kernel) serve(sock zmq4.Socket, mu *sync.Mutex, channel string) {
	for {
		raw, err := sock.Recv()
		if err != nil {
			select {
			case <-k.done:
			default:
				if !errors.Is(err, context.Canceled) && !errors.Is(err, io.EOF) {
					k.Log.Printf("%s: receive: %v", channel, err)
				}
			}
			return
		}
		msg, err := Decode(raw.Frames, k.key)
		if err != nil {
			k.Log.Printf("%s: dropped message: %v", channel, err)
			continue
		}
		k.handle(sock, mu, channel, msg)
	}
}

// reply sends a message of type typ on a ROUTER socket, to the sender of parent.
func (k *Kernel) reply(sock zmq4.Socket, mu *sync.Mutex, parent *Message, typ string, content any) {
	m, err := k.message(parent, typ, content)
	if err != nil {
		k.Log.Printf("encode %s: %v", typ, err)
		return
	}
	m.Identities = parent.Identities
	k.send(sock, mu, m)
}

// publish broadcasts on iopub; parent may be nil.
func (k *Kernel) publish(parent *Message, typ string, content any) {
	m, err := k.message(parent, typ, content)
	if err != nil {
		k.Log.Printf("encode %s: %v", typ, err)
		return
	}
	m.Identities = [][]byte{[]byte(typ)}
	k.send(k.iopub, &k.iopubMu, m)
}

func (k *Kernel) message(parent *Message, typ string, content any) (*Message, error) {
	c, err := json.Marshal(content)
	if err != nil {
		return nil, err
	}
	session := k.session
	ph := json.RawMessage("{}")
	if parent != nil {
		session = parent.Header.Session
		if h, err := json.Marshal(parent.Header); err == nil {
			ph = h
		}
	}
	return &Message{Header: NewHeader(typ, session), ParentHeader: ph, Content: c}, nil
}

func (k *Kernel) send(sock zmq4.Socket, mu *sync.Mutex, m *Message) {
	frames, err := Encode(m, k.key)
	if err != nil {
		k.Log.Printf("encode %s: %v", m.Header.MsgType, err)
		return
	}
	mu.Lock()
	defer mu.Unlock()
	if err := sock.SendMulti(zmq4.NewMsgFrom(frames...)); err != nil {
		k.Log.Printf("send %s: %v", m.Header.MsgType, err)
	}
}

func (k *Kernel) handle(sock zmq4.Socket, mu *sync.Mutex, channel string, msg *Message) {
	k.publish(msg, "status", map[string]any{"execution_state": "busy"})
	defer k.publish(msg, "status", map[string]any{"execution_state": "idle"})
	switch msg.Header.MsgType {
	case "kernel_info_request":
		k.reply(sock, mu, msg, "kernel_info_reply", k.kernelInfo())
	case "execute_request":
		k.execute(sock, mu, msg)
	case "is_complete_request":
		var req struct {
			Code string `json:"code"`
		}
		if k.decodeContent(msg, &req) {
			status, indent := k.eval.IsComplete(req.Code)
			content := map[string]any{"status": status}
			if status == "incomplete" {
				content["indent"] = indent
			}
			k.reply(sock, mu, msg, "is_complete_reply", content)
		}
	case "complete_request":
		var req struct {
			Code      string `json:"code"`
			CursorPos int    `json:"cursor_pos"`
		}
		if k.decodeContent(msg, &req) {
			cursor := byteOffset(req.Code, req.CursorPos)
			matches, start, end := k.eval.Complete(req.Code, cursor)
			if matches == nil {
				matches = []string{}
			}
			k.reply(sock, mu, msg, "complete_reply", map[string]any{
				"status": "ok", "matches": matches, "metadata": map[string]any{},
				"cursor_start": runeOffset(req.Code, start), "cursor_end": runeOffset(req.Code, end),
			})
		}
	case "inspect_request":
		k.reply(sock, mu, msg, "inspect_reply", map[string]any{"status": "ok", "found": false, "data": map[string]any{}, "metadata": map[string]any{}})
	case "history_request":
		k.reply(sock, mu, msg, "history_reply", map[string]any{"status": "ok", "history": []any{}})
	case "comm_info_request":
		k.reply(sock, mu, msg, "comm_info_reply", map[string]any{"status": "ok", "comms": map[string]any{}})
	case "interrupt_request":
		k.eval.Interrupt()
		k.reply(sock, mu, msg, "interrupt_reply", map[string]any{"status": "ok"})
	case "shutdown_request":
		// on restart, the front end starts a new kernel process: this one just exits
		var req struct {
			Restart bool `json:"restart"`
		}
		k.decodeContent(msg, &req)
		k.eval.Interrupt()
		k.reply(sock, mu, msg, "shutdown_reply", map[string]any{"status": "ok", "restart": req.Restart})
		k.doneOnce.Do(func() { close(k.done) })
	default:
		k.Log.Printf("%s: unhandled message type %q", channel, msg.Header.MsgType)
	}
}

func (k *Kernel) decodeContent(msg *Message, v any) bool {
	if err := json.Unmarshal(msg.Content, v); err != nil {
		k.Log.Printf("%s: bad content: %v", msg.Header.MsgType, err)
		return false
	}
	return true
}

func (k *Kernel) kernelInfo() map[string]any {
	return map[string]any{
		"status":                 "ok",
		"protocol_version":       ProtocolVersion,
		"implementation":         k.info.Implementation,
		"implementation_version": k.info.ImplementationVersion,
		"banner":                 k.info.Banner,
		"language_info": map[string]any{
			"name": "go", "version": k.info.LanguageVersion, "mimetype": "text/x-go",
			"file_extension": ".go", "pygments_lexer": "go", "codemirror_mode": "go",
		},
		"help_links": []any{},
	}
}

type output struct {
	k      *Kernel
	parent *Message
}

func (o output) Display(b Bundle) {
	if b.Metadata == nil {
		b.Metadata = map[string]any{}
	}
	o.k.publish(o.parent, "display_data", map[string]any{"data": b.Data, "metadata": b.Metadata, "transient": map[string]any{}})
}

func (k *Kernel) execute(sock zmq4.Socket, mu *sync.Mutex, msg *Message) {
	var req struct {
		Code   string `json:"code"`
		Silent bool   `json:"silent"`
	}
	if !k.decodeContent(msg, &req) {
		return
	}
	k.mu.Lock()
	if !req.Silent {
		k.count++
	}
	n := k.count
	k.parent = msg
	k.mu.Unlock()
	if !req.Silent {
		k.publish(msg, "execute_input", map[string]any{"code": req.Code, "execution_count": n})
	}
	res, err := k.eval.Execute(req.Code, output{k, msg})
	k.flushOutput()
	if err != nil {
		var ee *EvalError
		if !errors.As(err, &ee) {
			ee = &EvalError{Name: "error", Value: err.Error()}
		}
		if ee.Traceback == nil {
			ee.Traceback = []string{ee.Error()}
		}
		k.publish(msg, "error", map[string]any{"ename": ee.Name, "evalue": ee.Value, "traceback": ee.Traceback})
		k.reply(sock, mu, msg, "execute_reply", map[string]any{
			"status": "error", "execution_count": n, "ename": ee.Name, "evalue": ee.Value, "traceback": ee.Traceback,
		})
		return
	}
	if res != nil && !req.Silent {
		if res.Metadata == nil {
			res.Metadata = map[string]any{}
		}
		k.publish(msg, "execute_result", map[string]any{"execution_count": n, "data": res.Data, "metadata": res.Metadata})
	}
	k.reply(sock, mu, msg, "execute_reply", map[string]any{
		"status": "ok", "execution_count": n, "user_expressions": map[string]any{}, "payload": []any{},
	})
}

// byteOffset converts a cursor position in code points to a byte offset.
func byteOffset(s string, runes int) int {
	i := 0
	for pos := range s {
		if i == runes {
			return pos
		}
		i++
	}
	return len(s)
}

// runeOffset converts a byte offset to a position in code points.
func runeOffset(s string, b int) int {
	if b > len(s) {
		b = len(s)
	}
	n := 0
	for range s[:b] {
		n++
	}
	return n
}
