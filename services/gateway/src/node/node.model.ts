// The Node interface lives in common/models (models in common/ implement it; common/ must not import node/).
export { Node, NODE_TYPE } from '../common/models/node.model';
