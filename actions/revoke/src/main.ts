import * as core from '@actions/core';

core.info('jit-access revoke: not yet implemented');
