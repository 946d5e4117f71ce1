/* sys_lock.c: lock_unlock and condvar_signal (the waiting side is in poll); the protocol is in lockwait.c. */
#include "shim/lockwait.h"
#include "shim/syscalls.h"

cloudabi_errno_t cloudabi_sys_lock_unlock(_Atomic(cloudabi_lock_t) *lock,
					  cloudabi_scope_t scope)
{
	return lockwait_unlock(lock, scope);
}

cloudabi_errno_t cloudabi_sys_condvar_signal(
	_Atomic(cloudabi_condvar_t) *condvar, cloudabi_scope_t scope,
	cloudabi_nthreads_t nwaiters)
{
	return lockwait_condvar_signal(condvar, scope, nwaiters);
}
