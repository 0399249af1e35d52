import * as core from '@actions/core';

core.info('jit-access grant: not yet implemented');
