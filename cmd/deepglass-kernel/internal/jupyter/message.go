package jupyter

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// ProtocolVersion is the version of the messaging protocol the kernel speaks.
const ProtocolVersion = "5.3"

const delimiter = "<IDS|MSG>"

// Header is a message header.
type Header struct {
	MsgID    string `json:"msg_id"`
	Username string `json:"username"`
	Session  string `json:"session"`
	Date     string `json:"date"`
	MsgType  string `json:"msg_type"`
	Version  string `json:"version"`
}

// Message is one decoded message. ParentHeader and Metadata are kept raw so that a
// reply can echo the request's header byte for byte.
type Message struct {
	Identities   [][]byte
	Header       Header
	ParentHeader json.RawMessage
	Metadata     json.RawMessage
	Content      json.RawMessage
	Buffers      [][]byte
}

func (m *Message) String() string {
	return fmt.Sprintf("%s %s (session %s)", m.Header.MsgType, m.Header.MsgID, m.Header.Session)
}

// Errors of Decode: the kernel drops such messages.
var (
	ErrUnsigned     = errors.New("message has no signature")
	ErrBadSignature = errors.New("message signature does not match the connection key")
	ErrMalformed    = errors.New("malformed message")
)

// sign returns the hex HMAC-SHA256 of the four JSON frames.
func sign(key []byte, frames ...[]byte) []byte {
	mac := hmac.New(sha256.New, key)
	for _, f := range frames {
		mac.Write(f)
	}
	sum := mac.Sum(nil)
	out := make([]byte, hex.EncodedLen(len(sum)))
	hex.Encode(out, sum)
	return out
}

// Decode parses the frames of a wire message and verifies its signature with key.
func Decode(frames [][]byte, key []byte) (*Message, error) {
	i := 0
	for i < len(frames) && !bytes.Equal(frames[i], []byte(delimiter)) {
		i++
	}
	if i == len(frames) || len(frames) < i+6 {
		return nil, fmt.Errorf("%w: %d frames, delimiter at %d", ErrMalformed, len(frames), i)
	}
	sig, header, parent, meta, content := frames[i+1], frames[i+2], frames[i+3], frames[i+4], frames[i+5]
	if len(sig) == 0 {
		return nil, ErrUnsigned
	}
	want := sign(key, header, parent, meta, content)
	if !hmac.Equal(bytes.ToLower(sig), want) {
		return nil, ErrBadSignature
	}
	m := &Message{Identities: frames[:i], ParentHeader: parent, Metadata: meta, Content: content, Buffers: frames[i+6:]}
	if err := json.Unmarshal(header, &m.Header); err != nil {
		return nil, fmt.Errorf("%w: header: %v", ErrMalformed, err)
	}
	return m, nil
}

// Encode returns the signed wire frames of a message.
func Encode(m *Message, key []byte) ([][]byte, error) {
	header, err := json.Marshal(m.Header)
	if err != nil {
		return nil, err
	}
	parent, meta, content := orEmpty(m.ParentHeader), orEmpty(m.Metadata), orEmpty(m.Content)
	frames := make([][]byte, 0, len(m.Identities)+6+len(m.Buffers))
	frames = append(frames, m.Identities...)
	frames = append(frames, []byte(delimiter), sign(key, header, parent, meta, content), header, parent, meta, content)
	return append(frames, m.Buffers...), nil
}

func orEmpty(b json.RawMessage) []byte {
	if len(b) == 0 {
		return []byte("{}")
	}
	return b
}

// NewHeader returns a fresh header of the given type for a session.
func NewHeader(msgType, session string) Header {
	return Header{
		MsgID:    newID(),
		Username: "kernel",
		Session:  session,
		Date:     time.Now().UTC().Format(time.RFC3339Nano),
		MsgType:  msgType,
		Version:  ProtocolVersion,
	}
}

func newID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("jupyter: crypto/rand: " + err.Error())
	}
	return hex.EncodeToString(b[:])
}
