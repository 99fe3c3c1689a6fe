class Animal:
    def __init__(self, name):
        self.name = name

    def speak(self):
        return f"{self.name} makes a sound"

    def kind(self):
        return "animal"

class Dog(Animal):
    def __init__(self, name, tricks):
        super().__init__(name)
        self.tricks = list(tricks)

    def speak(self):
        return f"{self.name} barks; " + super().speak()

class Puppy(Dog):
    def kind(self):
        return "young " + super().kind()

p = Puppy("Rex", ["sit"])
print(p.speak())
print(p.kind(), p.tricks, isinstance(p, Animal), issubclass(Puppy, Dog), issubclass(Dog, Puppy))
print([type(o).__name__ for o in (Animal("a"), Dog("d", []), p)])
(p.name, p.kind(), isinstance(p, Dog))
