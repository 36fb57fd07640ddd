/*
 * The file operations of saving and loading, in one place: the
 * fault-injection build (-DMIX_FAULT_INJECTION) can make any one of them
 * fail, as a full disk or a failing device would, so that the tests prove
 * every failure path (nothing left at the path, no leak, the handle
 * unchanged). POSIX calls for what stdio lacks: exclusive creation with the
 * umask's mode, fsync, the directory's sync.
 */
#define _POSIX_C_SOURCE 200809L

#include "io/io.h"
#include "io/stream.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifdef MIX_FAULT_INJECTION
#include <stdatomic.h>

static atomic_long countdown = 0; /* 0: never fail */
static atomic_long calls = 0;

void mix__fault_inject_io(long n)
{
    atomic_store(&countdown, n);
    atomic_store(&calls, 0);
}

long mix__fault_io_calls(void)
{
    return atomic_load(&calls);
}

/* Whether this operation is the one to fail; errno then says why. */
static int fault(int err_no)
{
    atomic_fetch_add(&calls, 1);
    if (atomic_load(&countdown) <= 0 || atomic_fetch_sub(&countdown, 1) != 1)
        return 0;
    errno = err_no;
    return 1;
}
#else
static int fault(int err_no)
{
    (void)err_no;
    return 0;
}
#endif

int mix__sys_read(FILE *f, void *p, size_t n, size_t *got)
{
    *got = 0;
    if (fault(EIO))
        return EIO;
    errno = 0; /* a stale value must not be reported as this call's reason */
    *got = fread(p, 1, n, f);
    if (*got == n)
        return 0;
    return ferror(f) ? (errno ? errno : EIO) : -1;
}

int mix__sys_write(FILE *f, const void *p, size_t n)
{
    if (fault(ENOSPC))
        return ENOSPC;
    errno = 0;
    return fwrite(p, 1, n, f) == n ? 0 : (errno ? errno : EIO);
}

/* fsync before the rename: otherwise a crash can leave the new name on a
 * file whose data never reached the disk. */
int mix__sys_flush_and_sync(FILE *f)
{
    if (fault(ENOSPC))
        return ENOSPC;
    errno = 0;
    if (fflush(f) != 0 || fsync(fileno(f)) != 0)
        return errno ? errno : EIO;
    return 0;
}

int mix__sys_close(FILE *f)
{
    errno = 0;
    int rc = fclose(f); /* always: the stream is gone even when this fails */
    if (fault(EIO))
        return EIO;
    return rc == 0 ? 0 : (errno ? errno : EIO);
}

int mix__sys_rename(const char *from, const char *to)
{
    if (fault(EIO))
        return EIO;
    return rename(from, to) == 0 ? 0 : errno;
}

FILE *mix__sys_open_read(const char *path, int *err_no)
{
    if (fault(EIO)) {
        *err_no = EIO;
        return NULL;
    }
    FILE *f = fopen(path, "rb");
    *err_no = f ? 0 : errno;
    return f;
}

/* O_EXCL: never write into a file someone else is creating at the same
 * name; 0666 lets the umask decide the mode, as for any new file. */
FILE *mix__sys_create(const char *path, int *err_no)
{
    if (fault(ENOSPC)) {
        *err_no = ENOSPC;
        return NULL;
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
    *err_no = f ? 0 : errno;
    if (f == NULL && fd >= 0) {
        close(fd);
        unlink(path);
    }
    return f;
}

/* Without it the rename itself may not survive a power cut; the model at
 * the path is complete either way, and some file systems refuse to sync a
 * directory, so a failure here is not reported. */
void mix__sys_sync_dir(const char *path)
{
    const char *slash = strrchr(path, '/');
    char dir[4096];
    if (slash == NULL)
        strcpy(dir, ".");
    else if (slash == path)
        strcpy(dir, "/");
    else if ((size_t)(slash - path) < sizeof dir)
        memcpy(dir, path, (size_t)(slash - path)), dir[slash - path] = '\0';
    else
        return;
    int fd = open(dir, O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
}

int mix__sys_is_regular(FILE *f, uint64_t *size)
{
    struct stat st;
    if (fstat(fileno(f), &st) != 0)
        return errno ? errno : EIO;
    if (S_ISDIR(st.st_mode))
        return EISDIR;
    if (!S_ISREG(st.st_mode))
        return -1;
    *size = (uint64_t)st.st_size;
    return 0;
}

void mix__sys_remove(const char *path)
{
    (void)unlink(path);
}

const char *mix__sys_strerror(int err_no, char *buf, size_t len)
{
    if (strerror_r(err_no, buf, len) != 0)
        snprintf(buf, len, "error %d", err_no);
    return buf;
}
