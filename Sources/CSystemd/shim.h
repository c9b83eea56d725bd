// libsystemd for Swift. sd_journal_send and sd_notifyf are variadic and do not import, so the
// Swift side calls sd_journal_sendv and sd_notify instead; nothing else is needed here.
#pragma once
#include <systemd/sd-daemon.h>
#include <systemd/sd-journal.h>
