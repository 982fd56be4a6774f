#!/usr/bin/python3
"""Reads or clicks the app's tray icon over D-Bus, as a panel does.

    probe.py show BUS PATH          prints the item's label and its menu as JSON
    probe.py click BUS PATH LABEL   clicks the menu item with that label
"""
import json
import sys
import time

import dbus

ITEM = "org.kde.StatusNotifierItem"
MENU = "com.canonical.dbusmenu"


def item(bus, name, path):
    props = dbus.Interface(bus.get_object(name, path), "org.freedesktop.DBus.Properties")
    return {str(k): v for k, v in props.GetAll(ITEM).items()}


def menu(bus, name, path):
    """The menu's items as (id, label, enabled, visible), in order."""
    menu_path = item(bus, name, path)["Menu"]
    proxy = dbus.Interface(bus.get_object(name, menu_path), MENU)
    _, layout = proxy.GetLayout(0, -1, ["label", "enabled", "visible", "type"])
    out = []

    def walk(node):
        node_id, props, children = node
        if "label" in props or props.get("type") == "separator":
            out.append({
                "id": int(node_id),
                "label": str(props.get("label", "")),
                "enabled": bool(props.get("enabled", True)),
                "separator": props.get("type") == "separator",
            })
        for child in children:
            walk(child)

    # The root (id 0) is the menu itself, not an item.
    for child in layout[2]:
        walk(child)
    return proxy, out


def main():
    bus = dbus.SessionBus()
    what, name, path = sys.argv[1:4]
    if what == "show":
        props = item(bus, name, path)
        _, items = menu(bus, name, path)
        print(json.dumps({
            "id": str(props.get("Id", "")),
            "title": str(props.get("Title", "")),
            "label": str(props.get("XAyatanaLabel", "")),
            "status": str(props.get("Status", "")),
            "menu": items,
        }, ensure_ascii=False))
    elif what == "click":
        proxy, items = menu(bus, name, path)
        target = next(i for i in items if i["label"].replace("_", "") == sys.argv[4])
        proxy.Event(target["id"], "clicked", dbus.String("", variant_level=1), dbus.UInt32(int(time.time())))
        print("clicked", target["label"])


if __name__ == "__main__":
    main()
