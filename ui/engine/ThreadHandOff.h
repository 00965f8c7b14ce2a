#pragma once
// Hand-offs between the GUI thread and the engine thread, made visible to ThreadSanitizer.
//
// Work crosses threads through Qt's event queue only: jobs are invoked on the engine's worker
// object, results come back as queued signals. The queue orders everything (what one thread wrote
// before posting, the other reads after delivery), but Debian's Qt is not built with
// ThreadSanitizer, so TSan cannot see that ordering and reports every payload as a race. Under
// TSan these calls tell it: handOff() right before posting or emitting, takeOver() right when a
// job or a queued call is delivered. In every other build they compile to nothing.
// scripts/sanitize.sh tsan; docs/RELIABILITY.md.

#if defined(__SANITIZE_THREAD__)
#define NC_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define NC_TSAN 1
#endif
#endif

#ifdef NC_TSAN
extern "C" void __tsan_acquire(void* addr);
extern "C" void __tsan_release(void* addr);
#endif

namespace nc::ui::thread {

#ifdef NC_TSAN
inline char handOffToken; // one synchronisation object for all hand-offs (they are all ordered)
inline void handOff() { __tsan_release(&handOffToken); }
inline void takeOver() { __tsan_acquire(&handOffToken); }
#else
inline void handOff() {}
inline void takeOver() {}
#endif

// Under TSan, makes every queued call delivered on the GUI thread a takeOver() (an application
// event filter on QEvent::MetaCall); does nothing otherwise. Called once by EngineController.
void watchGuiDeliveries();

} // namespace nc::ui::thread
