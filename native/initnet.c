/* The container's network interfaces, from inside its network namespace (init.c, initprocess.c):
 * lo up, and on a bridge network eth0, the container's end of the veth pair that gocker makes once
 * init exists. Ioctls on one datagram socket, no netlink: the same address (with the subnet's
 * broadcast, as `ip addr add A/P brd +`), the same prefix route the kernel adds with it, and the same
 * default route (protocol boot, table main) that rtnetlink requests would make. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <net/route.h>
#include <netinet/in.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include "initplan.h"
#include "initprocess.h"

static int inet_socket(void)
{
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0)
        gocker_init_die(125, errno, "socket: %s", strerror(errno));
    return s;
}

static void set_up(int s, const char *dev)
{
    struct ifreq req;
    memset(&req, 0, sizeof req);
    strncpy(req.ifr_name, dev, IFNAMSIZ - 1);
    if (ioctl(s, SIOCGIFFLAGS, &req) < 0)
        gocker_init_die(125, errno, "SIOCGIFFLAGS %s: %s", dev, strerror(errno));
    req.ifr_flags |= IFF_UP;
    if (ioctl(s, SIOCSIFFLAGS, &req) < 0)
        gocker_init_die(125, errno, "SIOCSIFFLAGS %s: %s", dev, strerror(errno));
}

/* A new network namespace starts with lo down. */
void gocker_init_loopback_up(void)
{
    int s = inet_socket();
    set_up(s, "lo");
    close(s);
}

static struct {
    int set;
    char dev[IFNAMSIZ];
    uint32_t address, gateway; /* host byte order */
    int prefix;
} eth;

void gocker_init_network_planned(const char *dev, uint64_t address, uint64_t prefix, uint64_t gateway)
{
    if (strlen(dev) >= IFNAMSIZ || prefix < 1 || prefix > 30 || address > UINT32_MAX || gateway > UINT32_MAX)
        gocker_init_die(125, 0, "container init: malformed network configuration");
    strcpy(eth.dev, dev);
    eth.address = (uint32_t)address;
    eth.gateway = (uint32_t)gateway;
    eth.prefix = (int)prefix;
    eth.set = 1;
}

static struct sockaddr_in inet(uint32_t host_order)
{
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(host_order);
    return a;
}

/* After the gate: gocker opens it once the veth exists, so eth0 is there now. Address, then the
 * netmask (SIOCSIFADDR alone takes the address class's; the change recomputes the broadcast), up,
 * and the default route last: its gateway must be on eth0's subnet. */
void gocker_init_network_after_gate(void)
{
    if (!eth.set)
        return;
    int s = inet_socket();
    struct ifreq req;
    memset(&req, 0, sizeof req);
    strcpy(req.ifr_name, eth.dev);
    struct sockaddr_in a = inet(eth.address);
    memcpy(&req.ifr_addr, &a, sizeof a);
    if (ioctl(s, SIOCSIFADDR, &req) < 0)
        gocker_init_die(125, errno, "add address to %s: %s", eth.dev, strerror(errno));
    a = inet(0xFFFFFFFFu << (32 - eth.prefix));
    memcpy(&req.ifr_netmask, &a, sizeof a);
    if (ioctl(s, SIOCSIFNETMASK, &req) < 0)
        gocker_init_die(125, errno, "set the netmask of %s: %s", eth.dev, strerror(errno));
    set_up(s, eth.dev);
    struct rtentry rt;
    memset(&rt, 0, sizeof rt);
    a = inet(0);
    memcpy(&rt.rt_dst, &a, sizeof a);
    memcpy(&rt.rt_genmask, &a, sizeof a);
    a = inet(eth.gateway);
    memcpy(&rt.rt_gateway, &a, sizeof a);
    rt.rt_flags = RTF_UP | RTF_GATEWAY;
    rt.rt_dev = eth.dev;
    if (ioctl(s, SIOCADDRT, &rt) < 0)
        gocker_init_die(125, errno, "add the default route via %s: %s", inet_ntoa(inet(eth.gateway).sin_addr), strerror(errno));
    close(s);
}
