#pragma once
// Hand-offs between the GUI thread and the engine thread, made visible to ThreadSanitizer.
//
// Work crosses threads through Qt's event queue only: jobs are invoked on the engine's worker
// object, results come back as queued signals. The queue orders everything (what one thread
// wrote before posting, the other reads after delivery), but Debian's Qt is not built with
// ThreadSanitizer, so TSan cannot see that ordering and reports every payload as a race.
//
// Under TSan, handOff(post) runs `post` (an invokeMethod or a Q_EMIT, which copies its payload
// into the event) holding one mutex, and takeOver() takes and drops that mutex where the job or
// queued call is delivered: the mutex, which TSan understands, then orders the whole posting,
// payload copies included, before the delivery. In every other build handOff just calls `post`
// and takeOver() is empty. scripts/sanitize.sh tsan; docs/RELIABILITY.md.

#if defined(__SANITIZE_THREAD__)
#define NC_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define NC_TSAN 1
#endif
#endif

#ifdef NC_TSAN
#include <mutex>
#endif

namespace nc::ui::thread {

#ifdef NC_TSAN
// Recursive: a Q_EMIT may run a direct-connected slot that posts again.
inline std::recursive_mutex& handOffMutex() {
    static std::recursive_mutex mutex;
    return mutex;
}
template <typename Post> void handOff(Post&& post) {
    const std::lock_guard<std::recursive_mutex> lock(handOffMutex());
    post();
}
inline void takeOver() {
    const std::lock_guard<std::recursive_mutex> lock(handOffMutex());
}
#else
template <typename Post> void handOff(Post&& post) {
    post();
}
inline void takeOver() {}
#endif

// Under TSan, makes every queued call delivered on the GUI thread a takeOver() (an application
// event filter on QEvent::MetaCall); does nothing otherwise. Called once by EngineController.
void watchGuiDeliveries();

} // namespace nc::ui::thread
