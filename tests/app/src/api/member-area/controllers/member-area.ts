export default {
  async find(ctx) {
    ctx.body = { data: { member: Boolean(ctx.state.user), message: 'Welcome to the members area' } };
  },
};
