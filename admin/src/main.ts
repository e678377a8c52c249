// Entry point of the admin console: defines <portico-admin> (and through it every view).
import './portico-admin.js';
