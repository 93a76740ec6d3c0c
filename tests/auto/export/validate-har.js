// Validates a HAR file against the HAR 1.2 schema with the har-validator package.
//   node validate-har.js FILE.har      exit 0: valid; 1: invalid (errors on stderr); 2: no module
'use strict';
const fs = require('fs');
let validator;
try {
    validator = require('har-validator');
} catch (e) {
    console.error('har-validator is not installed (npm install --prefix /opt/healthdeck-test-tools har-validator): ' + e.message);
    process.exit(2);
}
let har;
try {
    har = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
} catch (e) {
    console.error('not JSON: ' + e.message);
    process.exit(1);
}
validator.har(har).then(() => {
    console.log('valid HAR 1.2: ' + har.log.entries.length + ' entries');
    process.exit(0);
}).catch((e) => {
    console.error(JSON.stringify(e.errors || e.message, null, 1));
    process.exit(1);
});
