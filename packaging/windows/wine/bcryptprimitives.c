/* bcryptprimitives.dll for Wine versions that lack it (Wine 8.0, Debian 12):
 * Go 1.24 and later load ProcessPrng from it at start-up and stop when it is
 * missing. Windows 10 and later ship the real one; this one gives the same
 * bytes from BCryptGenRandom, the system's random number generator, which
 * Wine has. Used only by packaging/windows/check-wine.sh, never shipped. */
#include <windows.h>
#include <bcrypt.h>

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
	while (len > 0) {
		ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
		if (BCryptGenRandom(NULL, data, n, BCRYPT_USE_SYSTEM_PREFERRED_RNG) != 0)
			return FALSE;
		data += n;
		len -= n;
	}
	return TRUE;
}
