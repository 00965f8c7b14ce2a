#pragma once
// The serving threads hand every request to each other: the I/O thread reads it and wakes the
// model's thread, which runs it and wakes the I/O thread to read the next. Where both share a
// core (a small machine, or a busy one), Linux's default policy lets the woken thread preempt the
// waker at once, often while it holds a lock the woken one then waits for: a request cost six
// context switches instead of two (measured on a 2-core VM, docs/PERFORMANCE.md). SCHED_BATCH
// keeps the threads' share of the CPU and their placement on idle cores, and only stops a
// wake-up from preempting the thread that is running, so each hand-over happens when the waker
// blocks. Unprivileged, per thread; restored when the scope ends.
#if defined(__linux__)
#include <pthread.h>
#include <sched.h>
#endif

namespace nc::serve {

class BatchScheduling {
public:
    BatchScheduling() {
#if defined(__linux__)
        m_saved = pthread_getschedparam(pthread_self(), &m_policy, &m_param) == 0;
        if (m_saved && m_policy == SCHED_OTHER) {
            sched_param batch{};
            m_changed = pthread_setschedparam(pthread_self(), SCHED_BATCH, &batch) == 0;
        }
#endif
    }
    ~BatchScheduling() {
#if defined(__linux__)
        if (m_changed)
            pthread_setschedparam(pthread_self(), m_policy, &m_param);
#endif
    }
    BatchScheduling(const BatchScheduling&) = delete;
    BatchScheduling& operator=(const BatchScheduling&) = delete;

private:
#if defined(__linux__)
    int m_policy = 0;
    sched_param m_param{};
    bool m_saved = false, m_changed = false;
#endif
};

} // namespace nc::serve
