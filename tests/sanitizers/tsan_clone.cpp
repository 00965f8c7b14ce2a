// Linked into the test executables of ThreadSanitizer builds only (tests/CMakeLists.txt).
//
// QProcess in Qt 6.4 starts children with clone(CLONE_VM | CLONE_VFORK): the child runs in the
// parent's memory until it calls exec. GCC 12's TSan intercepts clone() and, in the child,
// marks its state "after a multi-threaded fork", but with CLONE_VM that state is the parent's
// own: from the first QProcess on, the parent stops tracking memory accesses and
// synchronisation (races go unreported) and dies on its next pthread_create
// ("starting new threads after multi-threaded fork is not supported").
//
// This definition of clone() takes precedence over TSan's interceptor (the executable comes first
// in the symbol lookup order) and calls glibc's directly. The child only runs Qt's pre-exec code
// (uninstrumented; with ignore_noninstrumented_modules=1 its libc calls bypass TSan), then exec.
#include <dlfcn.h>
#include <sched.h>
#include <stdarg.h>
#include <sys/types.h>

extern "C" int clone(int (*fn)(void*), void* stack, int flags, void* arg, ...) {
    using Clone = int (*)(int (*)(void*), void*, int, void*, ...);
    static const Clone glibcClone =
        reinterpret_cast<Clone>(dlsym(dlopen("libc.so.6", RTLD_NOW | RTLD_NOLOAD), "clone"));
    // The optional arguments, as glibc reads them when flags ask for them.
    va_list ap;
    va_start(ap, arg);
    pid_t* parentTid = va_arg(ap, pid_t*);
    void* tls = va_arg(ap, void*);
    pid_t* childTid = va_arg(ap, pid_t*);
    va_end(ap);
    return glibcClone(fn, stack, flags, arg, parentTid, tls, childTid);
}
