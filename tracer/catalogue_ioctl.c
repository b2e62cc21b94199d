// SPDX-License-Identifier: MIT
/*
 * The ioctl vocabulary (dtl/ioctl.h): the terminal, file, block-device and
 * socket requests strace 6.1 names, with what the capture copies for the
 * common ones (an int, a struct winsize).
 */
#include <dtl/ioctl.h>

/* clang-format off */
#define R(req, arg, name) {(req), DTL_IOCTL_ARG_##arg, DTL_IOCTL_OBJ_NONE, DTL_IOCTL_DIR_NONE, 0, (name)}
#define RC(req, arg, obj, dir, size, name)                                                       \
	{(req), DTL_IOCTL_ARG_##arg, DTL_IOCTL_OBJ_##obj, DTL_IOCTL_DIR_##dir, (size), (name)}
/* clang-format on */

const struct dtl_ioctl_desc dtl_ioctl_table[] = {
    R(0x5401, PTR, "TCGETS"),
    R(0x5402, PTR, "SNDCTL_TMR_START or TCSETS"),
    R(0x5403, PTR, "SNDCTL_TMR_STOP or TCSETSW"),
    R(0x5404, PTR, "SNDCTL_TMR_CONTINUE or TCSETSF"),
    R(0x5405, PTR, "TCGETA"),
    R(0x5406, PTR, "TCSETA"),
    R(0x5407, PTR, "TCSETAW"),
    R(0x5408, PTR, "TCSETAF"),
    R(0x5409, INT, "TCSBRK"),
    R(0x540A, TCXONC, "TCXONC"),
    R(0x540B, TCFLSH, "TCFLSH"),
    R(0x540C, NONE, "TIOCEXCL"),
    R(0x540D, NONE, "TIOCNXCL"),
    R(0x540E, INT, "TIOCSCTTY"),
    RC(0x540F, PTR, INT, OUT, 4, "TIOCGPGRP"),
    RC(0x5410, PTR, INT, IN, 4, "TIOCSPGRP"),
    RC(0x5411, PTR, INT, OUT, 4, "TIOCOUTQ"),
    R(0x5412, PTR, "TIOCSTI"),
    RC(0x5413, PTR, WINSIZE, OUT, 8, "TIOCGWINSZ"),
    RC(0x5414, PTR, WINSIZE, IN, 8, "TIOCSWINSZ"),
    R(0x5415, PTR, "TIOCMGET"),
    R(0x5416, PTR, "TIOCMBIS"),
    R(0x5417, PTR, "TIOCMBIC"),
    R(0x5418, PTR, "TIOCMSET"),
    R(0x5419, PTR, "TIOCGSOFTCAR"),
    R(0x541A, PTR, "TIOCSSOFTCAR"),
    RC(0x541B, PTR, INT, OUT, 4, "FIONREAD"),
    R(0x541C, HEX, "TIOCLINUX"),
    R(0x541D, NONE, "TIOCCONS"),
    R(0x541E, HEX, "TIOCGSERIAL"),
    R(0x541F, NONE, "TIOCSSERIAL"),
    R(0x5420, PTR, "TIOCPKT"),
    RC(0x5421, PTR, INT, IN, 4, "FIONBIO"),
    R(0x5422, NONE, "TIOCNOTTY"),
    R(0x5423, PTR, "TIOCSETD"),
    R(0x5424, PTR, "TIOCGETD"),
    R(0x5425, INT, "TCSBRKP"),
    R(0x5427, NONE, "TIOCSBRK"),
    R(0x5428, NONE, "TIOCCBRK"),
    R(0x5429, PTR, "TIOCGSID"),
    R(0x80045430, PTR, "TIOCGPTN"),
    R(0x40045431, PTR, "TIOCSPTLCK"),
    R(0x5441, HEX, "TIOCGPTPEER"),
    R(0x5450, NONE, "FIONCLEX"),
    R(0x5451, NONE, "FIOCLEX"),
    RC(0x5452, PTR, INT, IN, 4, "FIOASYNC"),
    R(0x5459, HEX, "TIOCSERGETLSR"),
    R(0x5460, HEX, "FIOQSIZE"),
    R(0x1, HEX, "FIBMAP"),
    R(0x2, HEX, "FIGETBSZ"),
    R(0xc0045877, NONE, "FIFREEZE"),
    R(0xc0045878, NONE, "FITHAW"),
    R(0x80086601, PTR, "FS_IOC_GETFLAGS"),
    R(0x40086602, PTR, "FS_IOC_SETFLAGS"),
    R(0x40049409, INT, "BTRFS_IOC_CLONE or FICLONE"),
    R(0x80081272, PTR, "BLKGETSIZE64"),
    R(0x1260, PTR, "BLKGETSIZE"),
    R(0x1268, PTR, "BLKSSZGET"),
    R(0x8901, PTR, "FIOSETOWN"),
    R(0x8902, PTR, "SIOCSPGRP"),
    R(0x8903, PTR, "FIOGETOWN"),
    R(0x8904, PTR, "SIOCGPGRP"),
    R(0x8905, PTR, "SIOCATMARK"),
    R(0x8910, PTR, "SIOCGIFNAME"),
    R(0x8912, PTR, "SIOCGIFCONF"),
    R(0x8913, PTR, "SIOCGIFFLAGS"),
    R(0x8915, PTR, "SIOCGIFADDR"),
    R(0x8921, PTR, "SIOCGIFMTU"),
    R(0x8927, PTR, "SIOCGIFHWADDR"),
    R(0x8933, PTR, "SIOCGIFINDEX"),
    R(0xab03, NONE, "NBD_DO_IT"),
};

const unsigned dtl_ioctl_table_len = sizeof(dtl_ioctl_table) / sizeof(dtl_ioctl_table[0]);
