import policiesAccepted from './policies-accepted';

export default { 'policies-accepted': policiesAccepted };
