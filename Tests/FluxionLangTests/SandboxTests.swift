import FluxionLang
import Foundation
import Testing

/// The sandbox (docs/BAD-INPUT.md, "The sandbox"): whatever a script tries — imports under other
/// names, dunder attribute walks, getattr with built strings, format-string attribute access,
/// decorators and metaclasses, NumPy's and JAX's file functions — it cannot read or write files,
/// open sockets, start processes, read the environment or reach the interpreter's internals.
/// Each attempt ends in Python's error for a missing name, module or attribute; afterwards no
/// file it named exists and nothing it printed holds the machine's data.
struct SandboxTests {
  /// A file the attempts try to create, and an environment variable they try to read.
  static let target = "/tmp/fluxion-sandbox-escape"
  static let canary = "FLUXION_SANDBOX_CANARY"

  static let attempts: [(String, String)] = [
    ("import os", "ModuleNotFoundError"),
    ("import sys", "ModuleNotFoundError"),
    ("import subprocess", "ModuleNotFoundError"),
    ("import builtins", "ModuleNotFoundError"),
    ("import importlib", "ModuleNotFoundError"),
    ("import ctypes", "ModuleNotFoundError"),
    ("import socket", "ModuleNotFoundError"),
    ("import io", "ModuleNotFoundError"),
    ("import pathlib", "ModuleNotFoundError"),
    ("import shutil", "ModuleNotFoundError"),
    ("import pickle", "ModuleNotFoundError"),
    ("import time", "ModuleNotFoundError"),
    ("from os import system", "ModuleNotFoundError"),
    ("from jax import _src", "ImportError"),
    ("import jax._src", "ModuleNotFoundError"),
    ("import jax.lib", "ModuleNotFoundError"),
    ("import jax.experimental", "ModuleNotFoundError"),
    ("import numpy.ctypeslib", "ModuleNotFoundError"),
    ("__import__('os')", "NameError"),
    ("open('/etc/passwd').read()", "NameError"),
    ("eval(\"__import__('os')\")", "NameError"),
    ("exec('import os')", "NameError"),
    ("compile('1', 'x', 'eval')", "NameError"),
    ("globals()['__builtins__']", "NameError"),
    ("vars()", "TypeError"),
    ("locals()", "NameError"),
    ("dir()", "NameError"),
    ("breakpoint()", "NameError"),
    ("input()", "NameError"),
    ("help()", "NameError"),
    ("exit()", "NameError"),
    ("quit()", "NameError"),
    ("().__class__.__base__.__subclasses__()", "AttributeError"),
    ("''.__class__.__mro__[1].__subclasses__()", "AttributeError"),
    ("(lambda: 0).__globals__", "AttributeError"),
    ("(lambda: 0).__code__", "AttributeError"),
    ("getattr(len, '__self__')", "AttributeError"),
    ("getattr((), '__cla' + 'ss__')", "AttributeError"),
    ("'{0.__class__.__base__}'.format(())", "AttributeError"),
    ("'{0.__class__}'.format(1)", "AttributeError"),
    ("f'{().__class__.__base__}'", "AttributeError"),
    ("import jax.numpy as jnp\njnp.__loader__", "AttributeError"),
    ("import jax\njax.__spec__", "AttributeError"),
    ("import jax.numpy as jnp\njnp.__dict__", "AttributeError"),
    ("import jax.numpy as jnp\ntype(jnp)('os')", "TypeError"),
    ("import numpy as np\nnp.load('/etc/passwd')", "AttributeError"),
    ("import numpy as np\nnp.fromfile('/etc/passwd')", "AttributeError"),
    ("import numpy as np\nnp.loadtxt('/etc/passwd')", "AttributeError"),
    ("import numpy as np\nnp.save('/tmp/esc/x.npy', np.ones(2))", "AttributeError"),
    ("import jax.numpy as jnp\njnp.load('/etc/passwd')", "AttributeError"),
    ("import jax\njax.pure_callback", "AttributeError"),
    ("import jax\njax.debug.callback(print, 1)", "AttributeError"),
    ("@__import__('os').system\ndef f(): pass", "NameError"),
    ("class M(type):\n    pass\nclass A(metaclass=M):\n    pass\nA.__subclasses__()", "AttributeError"),
    ("[].__class__.__init__.__globals__", "AttributeError"),
    ("getattr(__builtins__, 'open')", "NameError"),
    ("print('x', file=open('/tmp/esc/y', 'w'))", "NameError"),
    ("import jax\njax.config.update('jax_compilation_cache_dir', '/tmp/esc/cache')", "AttributeError"),
    ("type.__subclasses__(type)", "AttributeError"),
    ("object.__subclasses__()", "AttributeError"),
    ("(1).__class__", "AttributeError"),
    ("len.__module__", "AttributeError"),
    ("import math\nmath.__loader__", "AttributeError"),
    ("import functools\nfunctools.reduce.__globals__", "AttributeError"),
    ("import dataclasses\ndataclasses.sys", "AttributeError"),
    ("import collections\ncollections.abc", "AttributeError"),
    ("import typing\ntyping.sys", "AttributeError"),
    ("x = ().__reduce_ex__(2)", "AttributeError"),
    ("import jax\njax.random.__file__", "AttributeError"),
    ("setattr(len, 'x', 1)", "AttributeError"),
    ("delattr", "NameError"),
    ("memoryview(b'x')", "NameError"),
    ("bytearray(4)", "NameError"),
    // The same walks reaching for the file and the environment directly.
    ("open('/tmp/fluxion-sandbox-escape', 'w').write('x')", "NameError"),
    ("import os\nos.environ['FLUXION_SANDBOX_CANARY']", "ModuleNotFoundError"),
    ("import jax.numpy as jnp\njnp.save('/tmp/fluxion-sandbox-escape', jnp.ones(2))", "AttributeError"),
    ("getattr(getattr((), '__class__'), '__subclasses__')()", "AttributeError"),
  ]

  @Test("an escape attempt fails with Python's error and touches nothing", arguments: attempts)
  func attempt(_ source: String, _ kind: String) throws {
    setenv(Self.canary, "the-secret-value", 1)
    try? FileManager.default.removeItem(atPath: Self.target)
    let session = Session()
    let error = session.evaluateWorkspace(source + "\n")
    #expect(error?.kind == kind, "\(source): \(error?.summary ?? "no error")")
    let printed = session.takeOutput()
    #expect(!printed.contains("the-secret-value") && !printed.contains("root:x:0:0"), "\(source) printed \(printed)")
    #expect(!FileManager.default.fileExists(atPath: Self.target), "\(source) wrote a file")
  }

  @Test func thereAreAtLeastThirtyAttempts() { #expect(Self.attempts.count >= 30) }
}
