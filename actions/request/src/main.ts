import * as core from '@actions/core';

core.info('jit-access request: not yet implemented');
