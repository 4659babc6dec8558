package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// progress shows training progress on stderr: a bar with the rate and the
// time left when stderr is a terminal, a plain line per epoch otherwise.
type progress struct {
	w        io.Writer
	tty      bool
	start    time.Time
	epoch    int
	last     time.Time
	lastDone int
}

func newProgress(w io.Writer) *progress {
	p := &progress{w: w}
	if f, ok := w.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			p.tty = true
		}
	}
	return p
}

func (p *progress) update(epoch, epochs, done, total int) {
	now := time.Now()
	if epoch != p.epoch {
		p.epoch, p.start = epoch, now
		if !p.tty {
			fmt.Fprintf(p.w, "epoch %d/%d: training on %d samples\n", epoch, epochs, total)
		}
	}
	if !p.tty || (now.Sub(p.last) < 200*time.Millisecond && done < total) {
		return
	}
	p.last = now
	el := now.Sub(p.start).Seconds()
	rate := float64(done) / max(el, 1e-9)
	left := time.Duration(float64(total-done)/max(rate, 1e-9)*float64(time.Second) + float64(epochs-epoch)*float64(total)/max(rate, 1e-9)*float64(time.Second))
	const width = 30
	fill := width * done / max(total, 1)
	fmt.Fprintf(p.w, "\repoch %d/%d [%s%s] %5.1f%% %7.0f samples/s, %s left   ",
		epoch, epochs, strings.Repeat("=", fill), strings.Repeat(" ", width-fill), 100*float64(done)/float64(total), rate, left.Round(time.Second))
}

func (p *progress) done() {
	if p.tty && p.epoch > 0 {
		fmt.Fprintln(p.w)
	}
}
