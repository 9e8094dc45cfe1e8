// Package jupyter implements the kernel side of the Jupyter messaging protocol v5.3
// (https://jupyter-client.readthedocs.io/en/stable/messaging.html) over a pure-Go ZeroMQ:
// the five sockets of a connection file, HMAC-SHA256 signing and verification of every
// message, and the request/reply/broadcast choreography of execute, complete,
// is_complete, kernel_info, interrupt and shutdown. The language is plugged in as an
// Evaluator, so the protocol is tested without an interpreter.
package jupyter

import (
	"encoding/json"
	"fmt"
	"os"
)

// ConnectionInfo is the content of the connection file Jupyter passes to a kernel.
type ConnectionInfo struct {
	Transport       string `json:"transport"`
	IP              string `json:"ip"`
	ShellPort       int    `json:"shell_port"`
	ControlPort     int    `json:"control_port"`
	IOPubPort       int    `json:"iopub_port"`
	StdinPort       int    `json:"stdin_port"`
	HBPort          int    `json:"hb_port"`
	Key             string `json:"key"`
	SignatureScheme string `json:"signature_scheme"`
	KernelName      string `json:"kernel_name,omitempty"`
}

func (c ConnectionInfo) String() string {
	return fmt.Sprintf("%s://%s shell=%d control=%d iopub=%d stdin=%d hb=%d scheme=%s",
		c.Transport, c.IP, c.ShellPort, c.ControlPort, c.IOPubPort, c.StdinPort, c.HBPort, c.SignatureScheme)
}

// ReadConnectionFile reads and validates a connection file. The kernel refuses an empty
// key or a signature scheme other than hmac-sha256: it never runs unauthenticated.
func ReadConnectionFile(path string) (ConnectionInfo, error) {
	var c ConnectionInfo
	b, err := os.ReadFile(path)
	if err != nil {
		return c, fmt.Errorf("connection file: %w", err)
	}
	if err := json.Unmarshal(b, &c); err != nil {
		return c, fmt.Errorf("connection file %s: %w", path, err)
	}
	if err := c.Validate(); err != nil {
		return c, fmt.Errorf("connection file %s: %w", path, err)
	}
	return c, nil
}

// Validate checks the fields the kernel relies on.
func (c ConnectionInfo) Validate() error {
	switch c.Transport {
	case "tcp", "ipc":
	default:
		return fmt.Errorf("transport %q: want tcp or ipc", c.Transport)
	}
	if c.IP == "" {
		return fmt.Errorf("empty ip")
	}
	if c.SignatureScheme != "hmac-sha256" {
		return fmt.Errorf("signature_scheme %q: only hmac-sha256 is supported", c.SignatureScheme)
	}
	if c.Key == "" {
		return fmt.Errorf("empty key: refusing to run without message authentication")
	}
	for _, p := range []int{c.ShellPort, c.ControlPort, c.IOPubPort, c.StdinPort, c.HBPort} {
		if p <= 0 || p > 65535 {
			return fmt.Errorf("port %d out of range", p)
		}
	}
	return nil
}

// Addr is the ZeroMQ endpoint of a port: only the transport and ip of the file.
func (c ConnectionInfo) Addr(port int) string {
	if c.Transport == "ipc" {
		return fmt.Sprintf("ipc://%s-%d", c.IP, port)
	}
	return fmt.Sprintf("tcp://%s:%d", c.IP, port)
}
