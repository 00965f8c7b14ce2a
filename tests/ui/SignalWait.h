#pragma once
// Waiting for a signal that the engine thread emits.
//
// QSignalSpy::wait() compares against the count at the moment wait() starts; when another thread
// emits between the action and that moment (a quick openModel on a busy machine), the emission is
// already counted and wait() times out although the signal came. QueuedSignalCount receives the
// signal queued on the GUI thread and counts from the start, so waiting cannot miss it.
#include <QObject>
#include <QtTest>

#include <functional>

namespace uitest {

class QueuedSignalCount : public QObject {
  public:
    template <typename Sender, typename Signal>
    QueuedSignalCount(const Sender* sender, Signal signal) {
        connect(sender, signal, this, [this] { ++m_count; }, Qt::QueuedConnection);
    }
    int count() const { return m_count; }
    // True once at least `n` emissions have arrived; false after `ms` without them.
    bool waitFor(int n, int ms) {
        return QTest::qWaitFor([&] { return m_count >= n; }, ms);
    }

  private:
    int m_count = 0;
};

} // namespace uitest
