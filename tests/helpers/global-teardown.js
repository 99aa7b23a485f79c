// Drops the integration run's template database (tests/helpers/database-template.js).
module.exports = async () => {
  await require('./database-template').dropTemplate();
};
