package jupyter

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/go-zeromq/zmq4"
)

// Client is the front-end side of a connection: enough of a Jupyter client to drive a
// kernel from tests (shell, control and iopub).
type Client struct {
	Key                   []byte
	Shell, Control, IOPub zmq4.Socket
	session               string
	inbox                 map[zmq4.Socket]chan zmq4.Msg
}

// Dial connects to the kernel of conn, retrying while it binds, and subscribes to all
// of iopub.
func Dial(ctx context.Context, conn ConnectionInfo, timeout time.Duration) (*Client, error) {
	c := &Client{Key: []byte(conn.Key), session: newID()}
	id := zmq4.WithID(zmq4.SocketIdentity(c.session))
	c.Shell, c.Control, c.IOPub = zmq4.NewDealer(ctx, id), zmq4.NewDealer(ctx, id), zmq4.NewSub(ctx)
	deadline := time.Now().Add(timeout)
	for _, d := range []struct {
		s    zmq4.Socket
		port int
	}{{c.Shell, conn.ShellPort}, {c.Control, conn.ControlPort}, {c.IOPub, conn.IOPubPort}} {
		for {
			err := d.s.Dial(conn.Addr(d.port))
			if err == nil {
				break
			}
			if time.Now().After(deadline) {
				c.Close()
				return nil, fmt.Errorf("dial %s: %w", conn.Addr(d.port), err)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	if err := c.IOPub.SetOption(zmq4.OptionSubscribe, ""); err != nil {
		c.Close()
		return nil, err
	}
	time.Sleep(200 * time.Millisecond) // let the subscription reach the publisher
	// one reader per socket, so that a Recv that times out loses no message
	c.inbox = map[zmq4.Socket]chan zmq4.Msg{}
	for _, s := range []zmq4.Socket{c.Shell, c.Control, c.IOPub} {
		ch := make(chan zmq4.Msg, 256)
		c.inbox[s] = ch
		go func(s zmq4.Socket) {
			defer close(ch)
			for {
				m, err := s.Recv()
				if err != nil {
					return
				}
				ch <- m
			}
		}(s)
	}
	return c, nil
}

// Close closes the sockets.
func (c *Client) Close() {
	for _, s := range []zmq4.Socket{c.Shell, c.Control, c.IOPub} {
		if s != nil {
			s.Close()
		}
	}
}

// Request returns a request message of the client's session.
func (c *Client) Request(typ string, content any) *Message {
	b, err := json.Marshal(content)
	if err != nil {
		panic("jupyter: Request content: " + err.Error())
	}
	return &Message{Header: NewHeader(typ, c.session), ParentHeader: json.RawMessage("{}"), Content: b}
}

// Send signs m with key (normally c.Key) and sends it on sock.
func (c *Client) Send(sock zmq4.Socket, m *Message, key []byte) error {
	frames, err := Encode(m, key)
	if err != nil {
		return err
	}
	return c.SendFrames(sock, frames)
}

// SendFrames sends raw frames, e.g. a tampered message.
func (c *Client) SendFrames(sock zmq4.Socket, frames [][]byte) error {
	return sock.SendMulti(zmq4.NewMsgFrom(frames...))
}

// Recv returns the next message on sock (one of the client's), nil after timeout, or
// an error when the socket closed or the message does not verify with the connection
// key.
func (c *Client) Recv(sock zmq4.Socket, timeout time.Duration) (*Message, error) {
	select {
	case m, ok := <-c.inbox[sock]:
		if !ok {
			return nil, fmt.Errorf("socket closed")
		}
		return Decode(m.Frames, c.Key)
	case <-time.After(timeout):
		return nil, nil
	}
}

// Execute sends an execute_request and returns its execute_reply (nil after timeout).
func (c *Client) Execute(code string, timeout time.Duration) (*Message, error) {
	req := c.Request("execute_request", map[string]any{"code": code, "silent": false, "store_history": true})
	if err := c.Send(c.Shell, req, c.Key); err != nil {
		return nil, err
	}
	deadline := time.Now().Add(timeout)
	for {
		r, err := c.Recv(c.Shell, time.Until(deadline))
		if err != nil || r == nil || r.ParentID() == req.Header.MsgID {
			return r, err
		}
	}
}

// ParentID is the msg_id of a message's parent header.
func (m *Message) ParentID() string {
	var h Header
	json.Unmarshal(m.ParentHeader, &h)
	return h.MsgID
}
