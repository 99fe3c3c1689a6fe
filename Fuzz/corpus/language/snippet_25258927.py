class A:
    def __init__(self, v):
        self.v = v
    def __repr__(self):
        return f'A({self.v!r:>5})'
print([A(1), A('s')], '%05.2f' % 3.14159, '{:>8.3e}'.format(12345.678))
