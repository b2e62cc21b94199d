// SPDX-License-Identifier: MIT
/*
 * Sockets: address families, socket types, protocols, option levels and
 * names, message flags, spelt as strace 6.1 spells them; the per-call
 * decoders of socket and {set,get}sockopt.
 */
#define _GNU_SOURCE
#include "decode_families.h"

#include <linux/netlink.h>
#include <netinet/in.h>
#include <sys/socket.h>

static const struct dtl_flag_name domains[] = {
    XN(0, "AF_UNSPEC"),      XN(1, "AF_UNIX"),      XN(2, "AF_INET"),      XN(3, "AF_AX25"),
    XN(4, "AF_IPX"),         XN(5, "AF_APPLETALK"), XN(6, "AF_NETROM"),    XN(7, "AF_BRIDGE"),
    XN(8, "AF_ATMPVC"),      XN(9, "AF_X25"),       XN(10, "AF_INET6"),    XN(11, "AF_ROSE"),
    XN(12, "AF_DECnet"),     XN(13, "AF_NETBEUI"),  XN(14, "AF_SECURITY"), XN(15, "AF_KEY"),
    XN(16, "AF_NETLINK"),    XN(17, "AF_PACKET"),   XN(18, "AF_ASH"),      XN(19, "AF_ECONET"),
    XN(20, "AF_ATMSVC"),     XN(21, "AF_RDS"),      XN(22, "AF_SNA"),      XN(23, "AF_IRDA"),
    XN(24, "AF_PPPOX"),      XN(25, "AF_WANPIPE"),  XN(26, "AF_LLC"),      XN(27, "AF_IB"),
    XN(28, "AF_MPLS"),       XN(29, "AF_CAN"),      XN(30, "AF_TIPC"),     XN(31, "AF_BLUETOOTH"),
    XN(32, "AF_IUCV"),       XN(33, "AF_RXRPC"),    XN(34, "AF_ISDN"),     XN(35, "AF_PHONET"),
    XN(36, "AF_IEEE802154"), XN(37, "AF_CAIF"),     XN(38, "AF_ALG"),      XN(39, "AF_NFC"),
    XN(40, "AF_VSOCK"),      XN(41, "AF_KCM"),      XN(42, "AF_QIPCRTR"),  XN(43, "AF_SMC"),
    XN(44, "AF_XDP"),        XN(45, "AF_MCTP"),
};

void dtl_net_print_domain(FILE *out, unsigned v)
{
	dtl_print_xval(out, v, domains, DTL_N(domains), "AF_???");
}

static const struct dtl_flag_name sock_types[] = {
    XN(1, "SOCK_STREAM"),    XN(2, "SOCK_DGRAM"), XN(3, "SOCK_RAW"),     XN(4, "SOCK_RDM"),
    XN(5, "SOCK_SEQPACKET"), XN(6, "SOCK_DCCP"),  XN(10, "SOCK_PACKET"),
};
static const struct dtl_flag_name sock_flags[] = {X(SOCK_CLOEXEC), X(SOCK_NONBLOCK)};

void dtl_net_print_socktype(FILE *out, unsigned v)
{
	const char *t = dtl_xlookup(v & 0xf, sock_types, DTL_N(sock_types));
	unsigned rest = v & ~0xfu;
	if (!t) {
		dtl_print_xflags(out, v, sock_flags, DTL_N(sock_flags), NULL, "SOCK_???");
		return;
	}
	fputs(t, out);
	for (size_t i = 0; i < DTL_N(sock_flags); i++) {
		if (rest & sock_flags[i].bit) {
			fprintf(out, "|%s", sock_flags[i].name);
			rest &= ~(unsigned)sock_flags[i].bit;
		}
	}
	if (rest)
		fprintf(out, "|%#x /* SOCK_??? */", rest);
}

void dtl_net_print_sockflags(FILE *out, unsigned v)
{
	dtl_print_xflags(out, v, sock_flags, DTL_N(sock_flags), "0", "SOCK_???");
}

static const struct dtl_flag_name ipprotos[] = {
    XN(0, "IPPROTO_IP"),      XN(1, "IPPROTO_ICMP"),       XN(2, "IPPROTO_IGMP"),
    XN(4, "IPPROTO_IPIP"),    XN(6, "IPPROTO_TCP"),        XN(8, "IPPROTO_EGP"),
    XN(12, "IPPROTO_PUP"),    XN(17, "IPPROTO_UDP"),       XN(22, "IPPROTO_IDP"),
    XN(29, "IPPROTO_TP"),     XN(33, "IPPROTO_DCCP"),      XN(41, "IPPROTO_IPV6"),
    XN(46, "IPPROTO_RSVP"),   XN(47, "IPPROTO_GRE"),       XN(50, "IPPROTO_ESP"),
    XN(51, "IPPROTO_AH"),     XN(58, "IPPROTO_ICMPV6"),    XN(92, "IPPROTO_MTP"),
    XN(94, "IPPROTO_BEETPH"), XN(98, "IPPROTO_ENCAP"),     XN(103, "IPPROTO_PIM"),
    XN(108, "IPPROTO_COMP"),  XN(132, "IPPROTO_SCTP"),     XN(136, "IPPROTO_UDPLITE"),
    XN(137, "IPPROTO_MPLS"),  XN(143, "IPPROTO_ETHERNET"), XN(255, "IPPROTO_RAW"),
    XN(262, "IPPROTO_MPTCP"),
};
static const struct dtl_flag_name netlink_protos[] = {
    XN(0, "NETLINK_ROUTE"),       XN(1, "NETLINK_UNUSED"),
    XN(2, "NETLINK_USERSOCK"),    XN(3, "NETLINK_FIREWALL"),
    XN(4, "NETLINK_SOCK_DIAG"),   XN(5, "NETLINK_NFLOG"),
    XN(6, "NETLINK_XFRM"),        XN(7, "NETLINK_SELINUX"),
    XN(8, "NETLINK_ISCSI"),       XN(9, "NETLINK_AUDIT"),
    XN(10, "NETLINK_FIB_LOOKUP"), XN(11, "NETLINK_CONNECTOR"),
    XN(12, "NETLINK_NETFILTER"),  XN(13, "NETLINK_IP6_FW"),
    XN(14, "NETLINK_DNRTMSG"),    XN(15, "NETLINK_KOBJECT_UEVENT"),
    XN(16, "NETLINK_GENERIC"),    XN(18, "NETLINK_SCSITRANSPORT"),
    XN(19, "NETLINK_ECRYPTFS"),   XN(20, "NETLINK_RDMA"),
    XN(21, "NETLINK_CRYPTO"),     XN(22, "NETLINK_SMC"),
};

/* socket()'s third argument, named per family */
static void print_protocol(FILE *out, unsigned domain, unsigned proto)
{
	switch (domain) {
	case AF_INET:
	case AF_INET6:
		dtl_print_xval(out, proto, ipprotos, DTL_N(ipprotos), "IPPROTO_???");
		return;
	case AF_NETLINK:
		dtl_print_xval(out, proto, netlink_protos, DTL_N(netlink_protos), "NETLINK_???");
		return;
	case AF_PACKET:
		/* a protocol in network order: htons(ETH_P_ALL) */
		if (proto == 0x300)
			fputs("htons(ETH_P_ALL)", out);
		else
			fprintf(out, "htons(%#x)", (unsigned)__builtin_bswap16((uint16_t)proto));
		return;
	case 31: /* AF_BLUETOOTH */
		if (proto == 0) {
			fputs("BTPROTO_L2CAP", out);
			return;
		}
		break;
	}
	fprintf(out, "%d", (int)proto);
}

static const struct dtl_flag_name levels[] = {
    XN(0, "SOL_IP"),        XN(1, "SOL_SOCKET"),  XN(6, "SOL_TCP"),        XN(17, "SOL_UDP"),
    XN(41, "SOL_IPV6"),     XN(58, "SOL_ICMPV6"), XN(132, "SOL_SCTP"),     XN(136, "SOL_UDPLITE"),
    XN(255, "SOL_RAW"),     XN(256, "SOL_IPX"),   XN(257, "SOL_AX25"),     XN(258, "SOL_ATALK"),
    XN(259, "SOL_NETROM"),  XN(260, "SOL_ROSE"),  XN(261, "SOL_DECNET"),   XN(262, "SOL_X25"),
    XN(263, "SOL_PACKET"),  XN(264, "SOL_ATM"),   XN(265, "SOL_AAL"),      XN(266, "SOL_IRDA"),
    XN(267, "SOL_NETBEUI"), XN(268, "SOL_LLC"),   XN(269, "SOL_DCCP"),     XN(270, "SOL_NETLINK"),
    XN(271, "SOL_TIPC"),    XN(272, "SOL_RXRPC"), XN(273, "SOL_PPPOL2TP"), XN(274, "SOL_BLUETOOTH"),
    XN(275, "SOL_PNPIPE"),  XN(276, "SOL_RDS"),   XN(277, "SOL_IUCV"),     XN(278, "SOL_CAIF"),
    XN(279, "SOL_ALG"),     XN(280, "SOL_NFC"),   XN(281, "SOL_KCM"),      XN(282, "SOL_TLS"),
    XN(283, "SOL_XDP"),     XN(284, "SOL_MPTCP"), XN(285, "SOL_MCTP"),     XN(286, "SOL_SMC"),
};

void dtl_net_print_level(FILE *out, unsigned v)
{
	dtl_print_xval(out, v, levels, DTL_N(levels), "SOL_??");
}

static const struct dtl_flag_name so_names[] = {
    XN(1, "SO_DEBUG"),
    XN(2, "SO_REUSEADDR"),
    XN(3, "SO_TYPE"),
    XN(4, "SO_ERROR"),
    XN(5, "SO_DONTROUTE"),
    XN(6, "SO_BROADCAST"),
    XN(7, "SO_SNDBUF"),
    XN(8, "SO_RCVBUF"),
    XN(9, "SO_KEEPALIVE"),
    XN(10, "SO_OOBINLINE"),
    XN(11, "SO_NO_CHECK"),
    XN(12, "SO_PRIORITY"),
    XN(13, "SO_LINGER"),
    XN(14, "SO_BSDCOMPAT"),
    XN(15, "SO_REUSEPORT"),
    XN(16, "SO_PASSCRED"),
    XN(17, "SO_PEERCRED"),
    XN(18, "SO_RCVLOWAT"),
    XN(19, "SO_SNDLOWAT"),
    XN(20, "SO_RCVTIMEO_OLD"),
    XN(21, "SO_SNDTIMEO_OLD"),
    XN(22, "SO_SECURITY_AUTHENTICATION"),
    XN(23, "SO_SECURITY_ENCRYPTION_TRANSPORT"),
    XN(24, "SO_SECURITY_ENCRYPTION_NETWORK"),
    XN(25, "SO_BINDTODEVICE"),
    XN(26, "SO_ATTACH_FILTER"),
    XN(27, "SO_DETACH_FILTER"),
    XN(28, "SO_PEERNAME"),
    XN(29, "SO_TIMESTAMP_OLD"),
    XN(30, "SO_ACCEPTCONN"),
    XN(31, "SO_PEERSEC"),
    XN(32, "SO_SNDBUFFORCE"),
    XN(33, "SO_RCVBUFFORCE"),
    XN(34, "SO_PASSSEC"),
    XN(35, "SO_TIMESTAMPNS_OLD"),
    XN(36, "SO_MARK"),
    XN(37, "SO_TIMESTAMPING_OLD"),
    XN(38, "SO_PROTOCOL"),
    XN(39, "SO_DOMAIN"),
    XN(40, "SO_RXQ_OVFL"),
    XN(41, "SO_WIFI_STATUS"),
    XN(42, "SO_PEEK_OFF"),
    XN(43, "SO_NOFCS"),
    XN(44, "SO_LOCK_FILTER"),
    XN(45, "SO_SELECT_ERR_QUEUE"),
    XN(46, "SO_BUSY_POLL"),
    XN(47, "SO_MAX_PACING_RATE"),
    XN(48, "SO_BPF_EXTENSIONS"),
    XN(49, "SO_INCOMING_CPU"),
    XN(50, "SO_ATTACH_BPF"),
    XN(51, "SO_ATTACH_REUSEPORT_CBPF"),
    XN(52, "SO_ATTACH_REUSEPORT_EBPF"),
    XN(53, "SO_CNX_ADVICE"),
    XN(54, "SCM_TIMESTAMPING_OPT_STATS"),
    XN(55, "SO_MEMINFO"),
    XN(56, "SO_INCOMING_NAPI_ID"),
    XN(57, "SO_COOKIE"),
    XN(58, "SCM_TIMESTAMPING_PKTINFO"),
    XN(59, "SO_PEERGROUPS"),
    XN(60, "SO_ZEROCOPY"),
    XN(61, "SO_TXTIME"),
    XN(62, "SO_BINDTOIFINDEX"),
    XN(63, "SO_TIMESTAMP_NEW"),
    XN(64, "SO_TIMESTAMPNS_NEW"),
    XN(65, "SO_TIMESTAMPING_NEW"),
    XN(66, "SO_RCVTIMEO_NEW"),
    XN(67, "SO_SNDTIMEO_NEW"),
    XN(68, "SO_DETACH_REUSEPORT_BPF"),
    XN(69, "SO_PREFER_BUSY_POLL"),
    XN(70, "SO_BUSY_POLL_BUDGET"),
    XN(71, "SO_NETNS_COOKIE"),
    XN(72, "SO_BUF_LOCK"),
    XN(73, "SO_RESERVE_MEM"),
    XN(74, "SO_TXREHASH"),
    XN(75, "SO_RCVMARK"),
};
static const struct dtl_flag_name tcp_names[] = {
    XN(1, "TCP_NODELAY"),
    XN(2, "TCP_MAXSEG"),
    XN(3, "TCP_CORK"),
    XN(4, "TCP_KEEPIDLE"),
    XN(5, "TCP_KEEPINTVL"),
    XN(6, "TCP_KEEPCNT"),
    XN(7, "TCP_SYNCNT"),
    XN(8, "TCP_LINGER2"),
    XN(9, "TCP_DEFER_ACCEPT"),
    XN(10, "TCP_WINDOW_CLAMP"),
    XN(11, "TCP_INFO"),
    XN(12, "TCP_QUICKACK"),
    XN(13, "TCP_CONGESTION"),
    XN(14, "TCP_MD5SIG"),
    XN(15, "TCP_COOKIE_TRANSACTIONS"),
    XN(16, "TCP_THIN_LINEAR_TIMEOUTS"),
    XN(17, "TCP_THIN_DUPACK"),
    XN(18, "TCP_USER_TIMEOUT"),
    XN(19, "TCP_REPAIR"),
    XN(20, "TCP_REPAIR_QUEUE"),
    XN(21, "TCP_QUEUE_SEQ"),
    XN(22, "TCP_REPAIR_OPTIONS"),
    XN(23, "TCP_FASTOPEN"),
    XN(24, "TCP_TIMESTAMP"),
    XN(25, "TCP_NOTSENT_LOWAT"),
    XN(26, "TCP_CC_INFO"),
    XN(27, "TCP_SAVE_SYN"),
    XN(28, "TCP_SAVED_SYN"),
    XN(29, "TCP_REPAIR_WINDOW"),
    XN(30, "TCP_FASTOPEN_CONNECT"),
    XN(31, "TCP_ULP"),
    XN(32, "TCP_MD5SIG_EXT"),
    XN(33, "TCP_FASTOPEN_KEY"),
    XN(34, "TCP_FASTOPEN_NO_COOKIE"),
    XN(35, "TCP_ZEROCOPY_RECEIVE"),
    XN(36, "TCP_INQ"),
    XN(37, "TCP_TX_DELAY"),
};
static const struct dtl_flag_name ip_names[] = {
    XN(1, "IP_TOS"),
    XN(2, "IP_TTL"),
    XN(3, "IP_HDRINCL"),
    XN(4, "IP_OPTIONS"),
    XN(5, "IP_ROUTER_ALERT"),
    XN(6, "IP_RECVOPTS"),
    XN(7, "IP_RETOPTS"),
    XN(8, "IP_PKTINFO"),
    XN(9, "IP_PKTOPTIONS"),
    XN(10, "IP_MTU_DISCOVER"),
    XN(11, "IP_RECVERR"),
    XN(12, "IP_RECVTTL"),
    XN(13, "IP_RECVTOS"),
    XN(14, "IP_MTU"),
    XN(15, "IP_FREEBIND"),
    XN(16, "IP_IPSEC_POLICY"),
    XN(17, "IP_XFRM_POLICY"),
    XN(18, "IP_PASSSEC"),
    XN(19, "IP_TRANSPARENT"),
    XN(20, "IP_ORIGDSTADDR"),
    XN(21, "IP_MINTTL"),
    XN(22, "IP_NODEFRAG"),
    XN(23, "IP_CHECKSUM"),
    XN(24, "IP_BIND_ADDRESS_NO_PORT"),
    XN(25, "IP_RECVFRAGSIZE"),
    XN(26, "IP_RECVERR_RFC4884"),
    XN(32, "IP_MULTICAST_IF"),
    XN(33, "IP_MULTICAST_TTL"),
    XN(34, "IP_MULTICAST_LOOP"),
    XN(35, "IP_ADD_MEMBERSHIP"),
    XN(36, "IP_DROP_MEMBERSHIP"),
    XN(37, "IP_UNBLOCK_SOURCE"),
    XN(38, "IP_BLOCK_SOURCE"),
    XN(39, "IP_ADD_SOURCE_MEMBERSHIP"),
    XN(40, "IP_DROP_SOURCE_MEMBERSHIP"),
    XN(41, "IP_MSFILTER"),
    XN(42, "MCAST_JOIN_GROUP"),
    XN(43, "MCAST_BLOCK_SOURCE"),
    XN(44, "MCAST_UNBLOCK_SOURCE"),
    XN(45, "MCAST_LEAVE_GROUP"),
    XN(46, "MCAST_JOIN_SOURCE_GROUP"),
    XN(47, "MCAST_LEAVE_SOURCE_GROUP"),
    XN(48, "MCAST_MSFILTER"),
    XN(49, "IP_MULTICAST_ALL"),
    XN(50, "IP_UNICAST_IF"),
};
static const struct dtl_flag_name ipv6_names[] = {
    XN(1, "IPV6_ADDRFORM"),         XN(2, "IPV6_2292PKTINFO"),
    XN(3, "IPV6_2292HOPOPTS"),      XN(4, "IPV6_2292DSTOPTS"),
    XN(5, "IPV6_2292RTHDR"),        XN(6, "IPV6_2292PKTOPTIONS"),
    XN(7, "IPV6_CHECKSUM"),         XN(8, "IPV6_2292HOPLIMIT"),
    XN(9, "IPV6_NEXTHOP"),          XN(10, "IPV6_AUTHHDR"),
    XN(11, "IPV6_FLOWINFO"),        XN(16, "IPV6_UNICAST_HOPS"),
    XN(17, "IPV6_MULTICAST_IF"),    XN(18, "IPV6_MULTICAST_HOPS"),
    XN(19, "IPV6_MULTICAST_LOOP"),  XN(20, "IPV6_ADD_MEMBERSHIP"),
    XN(21, "IPV6_DROP_MEMBERSHIP"), XN(22, "IPV6_ROUTER_ALERT"),
    XN(23, "IPV6_MTU_DISCOVER"),    XN(24, "IPV6_MTU"),
    XN(25, "IPV6_RECVERR"),         XN(26, "IPV6_V6ONLY"),
    XN(27, "IPV6_JOIN_ANYCAST"),    XN(28, "IPV6_LEAVE_ANYCAST"),
    XN(29, "IPV6_MULTICAST_ALL"),   XN(30, "IPV6_ROUTER_ALERT_ISOLATE"),
    XN(31, "IPV6_RECVERR_RFC4884"), XN(32, "IPV6_FLOWLABEL_MGR"),
    XN(33, "IPV6_FLOWINFO_SEND"),   XN(34, "IPV6_IPSEC_POLICY"),
    XN(35, "IPV6_XFRM_POLICY"),     XN(36, "IPV6_HDRINCL"),
    XN(49, "IPV6_RECVPKTINFO"),     XN(50, "IPV6_PKTINFO"),
    XN(51, "IPV6_RECVHOPLIMIT"),    XN(52, "IPV6_HOPLIMIT"),
    XN(53, "IPV6_RECVHOPOPTS"),     XN(54, "IPV6_HOPOPTS"),
    XN(55, "IPV6_RTHDRDSTOPTS"),    XN(56, "IPV6_RECVRTHDR"),
    XN(57, "IPV6_RTHDR"),           XN(58, "IPV6_RECVDSTOPTS"),
    XN(59, "IPV6_DSTOPTS"),         XN(60, "IPV6_RECVPATHMTU"),
    XN(61, "IPV6_PATHMTU"),         XN(62, "IPV6_DONTFRAG"),
    XN(66, "IPV6_RECVTCLASS"),      XN(67, "IPV6_TCLASS"),
    XN(70, "IPV6_AUTOFLOWLABEL"),   XN(72, "IPV6_ADDR_PREFERENCES"),
    XN(73, "IPV6_MINHOPCOUNT"),     XN(74, "IPV6_ORIGDSTADDR"),
    XN(75, "IPV6_TRANSPARENT"),     XN(76, "IPV6_UNICAST_IF"),
    XN(77, "IPV6_RECVFRAGSIZE"),    XN(78, "IPV6_FREEBIND"),
};
static const struct dtl_flag_name udp_names[] = {
    XN(1, "UDP_CORK"),           XN(100, "UDP_ENCAP"),   XN(101, "UDP_NO_CHECK6_TX"),
    XN(102, "UDP_NO_CHECK6_RX"), XN(103, "UDP_SEGMENT"), XN(104, "UDP_GRO"),
};
static const struct dtl_flag_name raw_names[] = {XN(1, "ICMP_FILTER")};
static const struct dtl_flag_name netlink_names[] = {
    XN(1, "NETLINK_ADD_MEMBERSHIP"),   XN(2, "NETLINK_DROP_MEMBERSHIP"),
    XN(3, "NETLINK_PKTINFO"),          XN(4, "NETLINK_BROADCAST_ERROR"),
    XN(5, "NETLINK_NO_ENOBUFS"),       XN(6, "NETLINK_RX_RING"),
    XN(7, "NETLINK_TX_RING"),          XN(8, "NETLINK_LISTEN_ALL_NSID"),
    XN(9, "NETLINK_LIST_MEMBERSHIPS"), XN(10, "NETLINK_CAP_ACK"),
    XN(11, "NETLINK_EXT_ACK"),         XN(12, "NETLINK_GET_STRICT_CHK"),
};
static const struct dtl_flag_name packet_names[] = {
    XN(1, "PACKET_ADD_MEMBERSHIP"), XN(2, "PACKET_DROP_MEMBERSHIP"),
    XN(3, "PACKET_RECV_OUTPUT"),    XN(5, "PACKET_RX_RING"),
    XN(6, "PACKET_STATISTICS"),     XN(7, "PACKET_COPY_THRESH"),
    XN(8, "PACKET_AUXDATA"),        XN(9, "PACKET_ORIGDEV"),
    XN(10, "PACKET_VERSION"),       XN(11, "PACKET_HDRLEN"),
    XN(12, "PACKET_RESERVE"),       XN(13, "PACKET_TX_RING"),
    XN(14, "PACKET_LOSS"),          XN(15, "PACKET_VNET_HDR"),
    XN(16, "PACKET_TX_TIMESTAMP"),  XN(17, "PACKET_TIMESTAMP"),
    XN(18, "PACKET_FANOUT"),        XN(19, "PACKET_TX_HAS_OFF"),
    XN(20, "PACKET_QDISC_BYPASS"),  XN(21, "PACKET_ROLLOVER_STATS"),
    XN(22, "PACKET_FANOUT_DATA"),   XN(23, "PACKET_IGNORE_OUTGOING"),
};

/* A socket option name: its vocabulary depends on the level; a level
 * without one prints the number. */
void dtl_net_print_sockopt(FILE *out, unsigned level, unsigned name)
{
	static const struct {
		unsigned level;
		const struct dtl_flag_name *t;
		size_t n;
		const char *unknown;
	} by_level[] = {
	    {1, so_names, DTL_N(so_names), "SO_???"},
	    {6, tcp_names, DTL_N(tcp_names), "TCP_???"},
	    {0, ip_names, DTL_N(ip_names), "IP_???"},
	    {41, ipv6_names, DTL_N(ipv6_names), "IPV6_???"},
	    {17, udp_names, DTL_N(udp_names), "UDP_???"},
	    {255, raw_names, DTL_N(raw_names), "ICMP_???"},
	    {270, netlink_names, DTL_N(netlink_names), "NETLINK_???"},
	    {263, packet_names, DTL_N(packet_names), "PACKET_???"},
	};
	for (size_t i = 0; i < DTL_N(by_level); i++) {
		if (by_level[i].level == level) {
			dtl_print_xval(out, name, by_level[i].t, by_level[i].n,
			               by_level[i].unknown);
			return;
		}
	}
	fprintf(out, "%d", (int)name);
}

void dtl_net_print_msgflags(FILE *out, unsigned v)
{
	static const struct dtl_flag_name f[] = {
	    XN(0x1, "MSG_OOB"),
	    XN(0x2, "MSG_PEEK"),
	    XN(0x4, "MSG_DONTROUTE"),
	    XN(0x8, "MSG_CTRUNC"),
	    XN(0x10, "MSG_PROBE"),
	    XN(0x20, "MSG_TRUNC"),
	    XN(0x40, "MSG_DONTWAIT"),
	    XN(0x80, "MSG_EOR"),
	    XN(0x100, "MSG_WAITALL"),
	    XN(0x200, "MSG_FIN"),
	    XN(0x400, "MSG_SYN"),
	    XN(0x800, "MSG_CONFIRM"),
	    XN(0x1000, "MSG_RST"),
	    XN(0x2000, "MSG_ERRQUEUE"),
	    XN(0x4000, "MSG_NOSIGNAL"),
	    XN(0x8000, "MSG_MORE"),
	    XN(0x10000, "MSG_WAITFORONE"),
	    XN(0x40000, "MSG_BATCH"),
	    XN(0x4000000, "MSG_ZEROCOPY"),
	    XN(0x20000000, "MSG_FASTOPEN"),
	    XN(0x40000000, "MSG_CMSG_CLOEXEC"),
	};
	dtl_print_xflags(out, v, f, DTL_N(f), "0", "MSG_???");
}

/* --- per-call decoders -------------------------------------------------------------- */

/* socket: the protocol per family */
bool dtl_decode_socket_arg(const struct dtl_decoder_ctx *c, int i)
{
	if (i != 2)
		return false;
	print_protocol(c->out, (uint32_t)c->ev->args[0], (uint32_t)c->ev->args[i]);
	return true;
}

/* setsockopt, getsockopt: an int-sized option value as [N] */
bool dtl_decode_sockopt_buffer(const struct dtl_decoder_ctx *c, int i, const struct dtl_blob *b)
{
	if (i != 3 || b->len != 4 || (b->flags & DTL_BLOB_TRUNCATED))
		return false;
	fprintf(c->out, "[%d]", i32_at(dtl_blob_data(c->ev, b), 0));
	return true;
}
