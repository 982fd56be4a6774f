#!/usr/bin/python3
"""Asks a window to close as a window manager does when its close button is
pressed: a WM_DELETE_WINDOW message (no window manager runs under Xvfb).

    close.py WINDOW_ID...
"""
import sys

from Xlib import X, display
from Xlib.protocol import event

d = display.Display()
protocols = d.intern_atom("WM_PROTOCOLS")
delete = d.intern_atom("WM_DELETE_WINDOW")
sent = 0
for wid in sys.argv[1:]:
    w = d.create_resource_object("window", int(wid))
    if delete not in (w.get_wm_protocols() or []):
        continue
    ev = event.ClientMessage(window=w, client_type=protocols, data=(32, [delete, X.CurrentTime, 0, 0, 0]))
    w.send_event(ev, event_mask=X.NoEventMask)
    sent += 1
d.flush()
print(f"asked {sent} window(s) to close")
sys.exit(0 if sent else 1)
