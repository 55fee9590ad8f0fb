/* gocker is a static executable. glibc's dlopen still works in a static binary, but it loads a
 * SECOND libc.so.6 with its own malloc and its own idea of the process, and memory corruption
 * follows (seen: the BCL's RandomNumberGenerator dlopens libssl.so.3, and a later string copy
 * faulted). Nothing in gocker may load a shared object, so dlopen is replaced: it fails, and says
 * who asked, so that the caller's own error handling runs instead of a crash. */
#include <stddef.h>
#include <string.h>
#include <unistd.h>

static const char *last_error;

void *dlopen(const char *file, int mode)
{
    (void)mode;
    static const char prefix[] = "gocker: refused dlopen of ";
    ssize_t r = write(2, prefix, sizeof prefix - 1);
    if (file)
        r = write(2, file, strlen(file));
    r = write(2, " (static binary)\n", 17);
    (void)r;
    last_error = "dlopen is not available in the static gocker binary";
    return NULL;
}

char *dlerror(void)
{
    const char *e = last_error;
    last_error = NULL;
    return (char *)e;
}
