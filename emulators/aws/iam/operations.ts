import type { Operation } from '../operation.js';
import type { QueryParams } from '../protocol/query.js';
import type { XmlObject } from '../protocol/xml.js';
import { attachmentOperations } from './attachments.js';
import { entityOperations } from './entities.js';
import { policyOperations } from './policies.js';
import { roleOperations } from './roles.js';
import { versionOperations } from './versions.js';

export const IAM_NAMESPACE = 'https://iam.amazonaws.com/doc/2010-05-08/';

/** Every IAM action the emulator answers, by its `Action` name. */
export const iamOperations: Record<string, Operation<QueryParams, XmlObject | undefined>> = {
  ...policyOperations,
  ...versionOperations,
  ...attachmentOperations,
  ...entityOperations,
  ...roleOperations,
};
